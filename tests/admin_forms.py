"""Build the POST data of an admin change form from its rendered page, as a browser would."""


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def form_data(response):
    """Every field of the admin form and its inline formsets with its current value."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        if not form.fields[name].disabled:
            value = _value(form[name])
            if value != "":
                data[form.add_prefix(name)] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _value(management[name])
        for sub in formset.forms:
            for name in sub.fields:
                value = _value(sub[name])
                if value != "":
                    data[sub.add_prefix(name)] = value
    return data
