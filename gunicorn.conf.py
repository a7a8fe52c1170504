"""gunicorn's settings, read from the working directory by every `gunicorn timeline.wsgi` started here.

gunicorn trusts X-Forwarded-Proto (and -Ssl, -Protocol) from 127.0.0.1 by default, so any local client
could make the app think it is served over HTTPS. Django decides that instead, from
``DJANGO_TRUST_X_FORWARDED_PROTO`` (README, Production notes); gunicorn trusts no address unless
``GUNICORN_FORWARDED_ALLOW_IPS`` names the proxy's.
"""

import os

forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "")
