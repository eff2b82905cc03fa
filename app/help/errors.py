"""The one error of the help services: its `code` names the message shown
(app/help/messages.py); whatever raised it saved nothing."""


class HelpError(Exception):
    """Bad input, a closed conversation or a wrong person to hand work to."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code
