"""Rasa server plug-ins (custom NLU components, slot types, input channels).

Importing the package also makes Rasa check action server replies with a validator
built once (see ``action_response_check``): the server imports this package when it
loads the pipeline's custom components.
"""

from addons import action_response_check

action_response_check.install()
