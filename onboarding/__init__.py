"""Onboarding of care providers (R11, R17, R30–R39): a connection application, the shipped
``onboarding`` process that national management decides it by, and the approval that creates the
organisation. Nothing is created on the platform before the approval (docs/ONBOARDING.md)."""
