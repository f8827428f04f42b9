from django.db import migrations, models


def recompute_margins(apps, schema_editor):
    """Reviews written before kept a margin rounded to 4 places; net and cost give it exactly."""
    BoardReview = apps.get_model("expert_opinions", "BoardReview")
    for review in BoardReview.objects.exclude(net=0).only("pk", "net", "cost").iterator():
        margin = (review.net - review.cost) / review.net
        BoardReview.objects.filter(pk=review.pk).update(margin=margin)


class Migration(migrations.Migration):
    dependencies = [
        ("expert_opinions", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="boardreview",
            name="margin",
            field=models.DecimalField(decimal_places=20, max_digits=36, verbose_name="margin"),
        ),
        migrations.RunPython(recompute_margins, migrations.RunPython.noop),
    ]
