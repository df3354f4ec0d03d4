"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Like ModelMultipleChoiceField, but a value that is not a plausible id is a form error
    before it reaches the database (SQLite raises OverflowError on a huge number)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isdecimal() and text.isascii() and len(text) <= 18):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)
