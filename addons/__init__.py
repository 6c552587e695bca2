"""Rasa server plug-ins (custom NLU components, slot types, input channels).

Importing the package also installs two speed-ups of Rasa 3.6 internals that keep its
behaviour (see each module): action server replies are checked with a validator built
once, and a form's unique entity mappings are computed once per domain. The server
imports this package when it loads the pipeline's custom components.
"""

from addons import action_response_check, form_mapping_cache

action_response_check.install()
form_mapping_cache.install()
