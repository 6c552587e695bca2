"""Rasa server plug-ins (custom NLU components, slot types, input channels).

Importing the package also installs three speed-ups of Rasa 3.6 internals that keep its
behaviour (see each module): action server replies are checked with validators built
once, a form's unique entity mappings are computed once per domain, and event classes
are looked up by type name in a table instead of a class-tree walk per event. The server
imports this package when it loads the pipeline's custom components.
"""

from addons import action_response_check, event_type_cache, form_mapping_cache

action_response_check.install()
form_mapping_cache.install()
event_type_cache.install()
