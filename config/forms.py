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


def add_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on a form: next to its field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    """A tabular inline's fields named for assistive technology: Django's tabular inline puts
    the field's name in the column heading only, leaving each input without a label (WCAG 1.3.1,
    4.1.2). Each gets its column's name and its row's number, e.g. "Text [en] 3"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "" if index is None else f" {index + 1}"
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", f"{field.label}{row}")
