from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import UserProfile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="create_user_profile")
def create_user_profile(sender, instance, created, raw=False, **kwargs):
    # Every user needs a profile (timezone); creating it here covers the admin,
    # createsuperuser and any other way a user comes into being.
    if created and not raw:
        UserProfile.objects.get_or_create(user=instance)
