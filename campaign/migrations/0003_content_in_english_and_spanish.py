"""Campaign texts in English and Spanish (campaign/translation.py): a column per language, and
the English one filled from the text each row had, in the rows and in their history."""

from django.db import migrations, models
from django.db.models import F

TRANSLATED = {
    "Source": ("publisher", "description"),
    "Fact": ("statement", "note"),
    "RecommendationList": ("title", "introduction"),
    "Recommendation": ("text", "detail", "status_note"),
    "Official": ("office", "addressed_title", "salutation"),
    "Term": ("salutation",),
    "Campaign": ("title", "summary", "guidance", "sample_paragraph"),
}


def english_from_the_text(apps, schema_editor):
    for name, fields in TRANSLATED.items():
        for model_name in (name, f"Historical{name}"):
            model = apps.get_model("campaign", model_name)
            for field in fields:
                model.objects.filter(**{f"{field}_en__isnull": True}).update(
                    **{f"{field}_en": F(field)}
                )


class Migration(migrations.Migration):

    dependencies = [
        ('campaign', '0002_offices_and_terms'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='guidance_en',
            field=models.TextField(blank=True, help_text='Writing help shown beside the letter form: short, practical tips.', null=True, verbose_name='Writing help'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='guidance_es',
            field=models.TextField(blank=True, help_text='Writing help shown beside the letter form: short, practical tips.', null=True, verbose_name='Writing help'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='sample_paragraph_en',
            field=models.TextField(blank=True, help_text='A short example of a personal paragraph, shown beside the letter form to help students who find writing hard. Students write their own.', null=True, verbose_name='Sample paragraph'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='sample_paragraph_es',
            field=models.TextField(blank=True, help_text='A short example of a personal paragraph, shown beside the letter form to help students who find writing hard. Students write their own.', null=True, verbose_name='Sample paragraph'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='summary_en',
            field=models.TextField(help_text='What the campaign asks for and why, for students.', null=True, verbose_name='Summary'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='summary_es',
            field=models.TextField(help_text='What the campaign asks for and why, for students.', null=True, verbose_name='Summary'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='title_en',
            field=models.CharField(help_text="The campaign's name, as students see it.", max_length=200, null=True, verbose_name='Title'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='title_es',
            field=models.CharField(help_text="The campaign's name, as students see it.", max_length=200, null=True, verbose_name='Title'),
        ),
        migrations.AddField(
            model_name='fact',
            name='note_en',
            field=models.TextField(blank=True, help_text='Shown with the fact: e.g. “Sources differ: …” or what changed since.', null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='note_es',
            field=models.TextField(blank=True, help_text='Shown with the fact: e.g. “Sources differ: …” or what changed since.', null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='statement_en',
            field=models.TextField(help_text='The fact in plain words, as students will read it.', null=True),
        ),
        migrations.AddField(
            model_name='fact',
            name='statement_es',
            field=models.TextField(help_text='The fact in plain words, as students will read it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='guidance_en',
            field=models.TextField(blank=True, help_text='Writing help shown beside the letter form: short, practical tips.', null=True, verbose_name='Writing help'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='guidance_es',
            field=models.TextField(blank=True, help_text='Writing help shown beside the letter form: short, practical tips.', null=True, verbose_name='Writing help'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='sample_paragraph_en',
            field=models.TextField(blank=True, help_text='A short example of a personal paragraph, shown beside the letter form to help students who find writing hard. Students write their own.', null=True, verbose_name='Sample paragraph'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='sample_paragraph_es',
            field=models.TextField(blank=True, help_text='A short example of a personal paragraph, shown beside the letter form to help students who find writing hard. Students write their own.', null=True, verbose_name='Sample paragraph'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='summary_en',
            field=models.TextField(help_text='What the campaign asks for and why, for students.', null=True, verbose_name='Summary'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='summary_es',
            field=models.TextField(help_text='What the campaign asks for and why, for students.', null=True, verbose_name='Summary'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='title_en',
            field=models.CharField(help_text="The campaign's name, as students see it.", max_length=200, null=True, verbose_name='Title'),
        ),
        migrations.AddField(
            model_name='historicalcampaign',
            name='title_es',
            field=models.CharField(help_text="The campaign's name, as students see it.", max_length=200, null=True, verbose_name='Title'),
        ),
        migrations.AddField(
            model_name='historicalfact',
            name='note_en',
            field=models.TextField(blank=True, help_text='Shown with the fact: e.g. “Sources differ: …” or what changed since.', null=True),
        ),
        migrations.AddField(
            model_name='historicalfact',
            name='note_es',
            field=models.TextField(blank=True, help_text='Shown with the fact: e.g. “Sources differ: …” or what changed since.', null=True),
        ),
        migrations.AddField(
            model_name='historicalfact',
            name='statement_en',
            field=models.TextField(help_text='The fact in plain words, as students will read it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalfact',
            name='statement_es',
            field=models.TextField(help_text='The fact in plain words, as students will read it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalofficial',
            name='addressed_title_en',
            field=models.CharField(help_text='How the address names the office when no holder can be vouched for: “The President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalofficial',
            name='addressed_title_es',
            field=models.CharField(help_text='How the address names the office when no holder can be vouched for: “The President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalofficial',
            name='office_en',
            field=models.CharField(help_text='e.g. “Secretary of State”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalofficial',
            name='office_es',
            field=models.CharField(help_text='e.g. “Secretary of State”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalofficial',
            name='salutation_en',
            field=models.CharField(help_text='How a letter greets the office when no holder can be vouched for, without punctuation: “Dear President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalofficial',
            name='salutation_es',
            field=models.CharField(help_text='How a letter greets the office when no holder can be vouched for, without punctuation: “Dear President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='detail_en',
            field=models.TextField(blank=True, help_text="The source's further words on it, if any.", null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='detail_es',
            field=models.TextField(blank=True, help_text="The source's further words on it, if any.", null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='status_note_en',
            field=models.CharField(blank=True, help_text='Why it is not offered, in a few words: “Its deadline, 2023, has passed.”', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='status_note_es',
            field=models.CharField(blank=True, help_text='Why it is not offered, in a few words: “Its deadline, 2023, has passed.”', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='text_en',
            field=models.TextField(help_text='The recommendation, quoted exactly from the source.', null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendation',
            name='text_es',
            field=models.TextField(help_text='The recommendation, quoted exactly from the source.', null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendationlist',
            name='introduction_en',
            field=models.TextField(blank=True, help_text="The source's words that lead into it.", null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendationlist',
            name='introduction_es',
            field=models.TextField(blank=True, help_text="The source's words that lead into it.", null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendationlist',
            name='title_en',
            field=models.CharField(help_text="The list's heading in its source.", max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='historicalrecommendationlist',
            name='title_es',
            field=models.CharField(help_text="The list's heading in its source.", max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='description_en',
            field=models.TextField(blank=True, help_text='One or two sentences about it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='description_es',
            field=models.TextField(blank=True, help_text='One or two sentences about it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='publisher_en',
            field=models.CharField(help_text='Who published the document.', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='publisher_es',
            field=models.CharField(help_text='Who published the document.', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='historicalterm',
            name='salutation_en',
            field=models.CharField(help_text='How a letter greets them, without punctuation: “Dear Mr. …”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='historicalterm',
            name='salutation_es',
            field=models.CharField(help_text='How a letter greets them, without punctuation: “Dear Mr. …”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='official',
            name='addressed_title_en',
            field=models.CharField(help_text='How the address names the office when no holder can be vouched for: “The President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='official',
            name='addressed_title_es',
            field=models.CharField(help_text='How the address names the office when no holder can be vouched for: “The President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='official',
            name='office_en',
            field=models.CharField(help_text='e.g. “Secretary of State”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='official',
            name='office_es',
            field=models.CharField(help_text='e.g. “Secretary of State”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='official',
            name='salutation_en',
            field=models.CharField(help_text='How a letter greets the office when no holder can be vouched for, without punctuation: “Dear President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='official',
            name='salutation_es',
            field=models.CharField(help_text='How a letter greets the office when no holder can be vouched for, without punctuation: “Dear President of the United States”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='detail_en',
            field=models.TextField(blank=True, help_text="The source's further words on it, if any.", null=True),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='detail_es',
            field=models.TextField(blank=True, help_text="The source's further words on it, if any.", null=True),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='status_note_en',
            field=models.CharField(blank=True, help_text='Why it is not offered, in a few words: “Its deadline, 2023, has passed.”', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='status_note_es',
            field=models.CharField(blank=True, help_text='Why it is not offered, in a few words: “Its deadline, 2023, has passed.”', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='text_en',
            field=models.TextField(help_text='The recommendation, quoted exactly from the source.', null=True),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='text_es',
            field=models.TextField(help_text='The recommendation, quoted exactly from the source.', null=True),
        ),
        migrations.AddField(
            model_name='recommendationlist',
            name='introduction_en',
            field=models.TextField(blank=True, help_text="The source's words that lead into it.", null=True),
        ),
        migrations.AddField(
            model_name='recommendationlist',
            name='introduction_es',
            field=models.TextField(blank=True, help_text="The source's words that lead into it.", null=True),
        ),
        migrations.AddField(
            model_name='recommendationlist',
            name='title_en',
            field=models.CharField(help_text="The list's heading in its source.", max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='recommendationlist',
            name='title_es',
            field=models.CharField(help_text="The list's heading in its source.", max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='description_en',
            field=models.TextField(blank=True, help_text='One or two sentences about it.', null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='description_es',
            field=models.TextField(blank=True, help_text='One or two sentences about it.', null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='publisher_en',
            field=models.CharField(help_text='Who published the document.', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='publisher_es',
            field=models.CharField(help_text='Who published the document.', max_length=300, null=True),
        ),
        migrations.AddField(
            model_name='term',
            name='salutation_en',
            field=models.CharField(help_text='How a letter greets them, without punctuation: “Dear Mr. …”.', max_length=200, null=True),
        ),
        migrations.AddField(
            model_name='term',
            name='salutation_es',
            field=models.CharField(help_text='How a letter greets them, without punctuation: “Dear Mr. …”.', max_length=200, null=True),
        ),
        migrations.RunPython(english_from_the_text, migrations.RunPython.noop),
    ]
