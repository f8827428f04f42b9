"""What the external-task API reads and writes (Camunda's fetch-and-lock pattern, snake_case).

Durations are in milliseconds, as Camunda's REST API has them. Variables
are plain JSON values by name (`{"amount": "120.50"}`), not Camunda's
typed `{"value": …, "type": …}` objects.
"""

from __future__ import annotations

from rest_framework import serializers

from obieg.engine.models import ExternalTask

WEEK_MS = 7 * 24 * 3600 * 1000


class WorkerSerializer(serializers.Serializer):
    worker_id = serializers.CharField(max_length=200, help_text="Which worker asks (any name).")


class FetchTopicSerializer(serializers.Serializer):
    topic_name = serializers.CharField(max_length=200)
    lock_duration = serializers.IntegerField(
        min_value=1, max_value=WEEK_MS, help_text="How long the tasks stay locked (ms)."
    )


class FetchAndLockSerializer(WorkerSerializer):
    max_tasks = serializers.IntegerField(min_value=1, max_value=100)
    topics = FetchTopicSerializer(many=True, allow_empty=False)

    def validate_topics(self, value: list) -> list:
        if len(value) > 50:
            raise serializers.ValidationError("At most 50 topics.")
        return value


class CompleteExternalSerializer(WorkerSerializer):
    variables = serializers.DictField(required=False, default=dict)


class FailureSerializer(WorkerSerializer):
    error_message = serializers.CharField(max_length=2000)
    error_details = serializers.CharField(max_length=20000, required=False, default="")
    retries = serializers.IntegerField(
        min_value=0, max_value=1000, help_text="Retries left; 0 makes the task an incident."
    )
    retry_timeout = serializers.IntegerField(
        min_value=0, max_value=WEEK_MS, required=False, default=0, help_text="Back-off (ms)."
    )


class BpmnErrorSerializer(WorkerSerializer):
    error_code = serializers.CharField(max_length=200)
    error_message = serializers.CharField(max_length=2000, required=False, default="")
    variables = serializers.DictField(required=False, default=dict)


class RetriesSerializer(serializers.Serializer):
    retries = serializers.IntegerField(min_value=1, max_value=1000)


class ExternalTaskSerializer(serializers.ModelSerializer):
    topic_name = serializers.CharField(source="topic", read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    process = serializers.CharField(source="case.definition.key", read_only=True)
    activity_id = serializers.CharField(source="element_id", read_only=True)
    activity_name = serializers.CharField(source="name", read_only=True)
    lock_expiration_time = serializers.DateTimeField(source="locked_until", read_only=True)
    status = serializers.CharField(read_only=True, help_text="open, completed or cancelled")
    variables = serializers.DictField(read_only=True)
    headers = serializers.DictField(read_only=True)

    class Meta:
        model = ExternalTask
        fields = [
            "id",
            "topic_name",
            "case",
            "process",
            "activity_id",
            "activity_name",
            "status",
            "worker_id",
            "lock_expiration_time",
            "retries",
            "retry_at",
            "incident",
            "error_message",
            "error_code",
            "variables",
            "headers",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields
