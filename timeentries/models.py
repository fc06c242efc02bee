from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

DEFAULT_TAG_COLOR = "#2f8de4"


class Tag(models.Model):
    """A label on time entries. Names are unique regardless of case."""

    name = models.CharField(max_length=100)
    color = models.CharField(
        max_length=7,
        default=DEFAULT_TAG_COLOR,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_unique_ci")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        self.color = self.color.lower()
        super().save(*args, **kwargs)
