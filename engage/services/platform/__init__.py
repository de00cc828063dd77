"""The platform beneath the stages: transactions, background jobs, the audit trail,
staff accounts and sign-in (passwords, two-step, SSO, invitations, throttles), settings,
references, paging, the results policy and API tokens. It imports no stage."""
