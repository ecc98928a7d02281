"""The test suite. Importing it first forgets the developer's AIGAP_ settings.

`make test` must pass whatever is exported in the shell that runs it: an AIGAP_DATABASE_URL
or AIGAP_PRIVATE_READS there would otherwise change what the app, the settings tests and
the servers the tests start (they inherit this environment) see. Only the test suite's
own AIGAP_TEST_* and AIGAP_REQUIRE_* (browser, Node) choices are kept. This runs before
conftest.py imports the app, which reads the settings once at import.
"""

import os

KEPT = ("AIGAP_TEST_", "AIGAP_REQUIRE_")

for _name in [n for n in os.environ if n.startswith("AIGAP_") and not n.startswith(KEPT)]:
    del os.environ[_name]
