"""AsA advisor core: rules, dated values, knowledge, contacts and routing; no Rasa imports."""
