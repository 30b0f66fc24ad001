"""The rules, one module per family (the family's letter in :data:`..catalog.FAMILIES`);
each module lists its rules in ``RULES``."""
