"""WTForms on GOV.UK Design System widgets."""
