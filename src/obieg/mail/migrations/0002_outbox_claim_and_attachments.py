import django.db.models.deletion
from django.db import migrations, models

import obieg.mail.models


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="reply_to",
            field=models.CharField(blank=True, max_length=300, verbose_name="reply to"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "queued"),
                    ("sending", "sending"),
                    ("sent", "sent"),
                    ("kept", "kept in the outbox (no SMTP server configured)"),
                    ("failed", "failed"),
                ],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="OutboxAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=100, verbose_name="type")),
                (
                    "file",
                    models.FileField(
                        max_length=300,
                        upload_to=obieg.mail.models.attachment_upload_to,
                        verbose_name="file",
                    ),
                ),
                ("size", models.PositiveBigIntegerField(verbose_name="size (bytes)")),
                (
                    "message",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="mail.outboxmessage",
                    ),
                ),
            ],
            options={
                "verbose_name": "attachment",
                "verbose_name_plural": "attachments",
                "ordering": ["id"],
            },
        ),
    ]
