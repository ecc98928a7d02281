"""Loaded by the contract test's schemathesis processes (`hooks` in their configuration).

They send requests to a server on 127.0.0.1 and nowhere else, so the environment's proxy
settings and ~/.netrc must not apply. `requests` reads both again on every request
(`Session.trust_env`): a tenth of a read share's CPU, measured with py-spy. An HTTP_PROXY
without NO_PROXY would also send the test's traffic to that proxy.
"""

import requests

_session_init = requests.Session.__init__


def _session_without_environment(self: requests.Session) -> None:
    _session_init(self)
    self.trust_env = False


requests.Session.__init__ = _session_without_environment  # type: ignore[method-assign]
