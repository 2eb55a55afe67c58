"""Support cases (R63–R69, R84): staff raise a case from any page, carrying where and when like the
incident report; the shipped ``support_case`` process routes it by category to the region's local
support, the publisher unit that owns a program's content, or national support, and points login
problems to the identity service's support. See cases.py."""
