"""Response bodies of the report and search endpoints, for the OpenAPI schema (the views build the same shapes)."""

from rest_framework import serializers


class ProjectHoursSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    project_name = serializers.CharField()
    hours = serializers.FloatField()
    entries = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    start_date = serializers.DateTimeField(help_text="The period's first instant (UTC).")
    end_date = serializers.DateTimeField(help_text="The period's last second (UTC).")
    total_hours = serializers.FloatField()
    billable_hours = serializers.FloatField()
    total_entries = serializers.IntegerField()
    by_project = ProjectHoursSerializer(many=True)


class SummaryResponseSerializer(serializers.Serializer):
    summary = SummarySerializer()


class SearchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["project", "task", "client", "entry"])
    category = serializers.ChoiceField(choices=["project", "task", "client", "entry"])
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField()
    badge = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)
    query = serializers.CharField()
    count = serializers.IntegerField()
