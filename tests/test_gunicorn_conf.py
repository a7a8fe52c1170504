"""gunicorn.conf.py: the scheme headers of a local client are not trusted unless a proxy is named."""

from pathlib import Path

import pytest
from gunicorn.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def loaded(monkeypatch: pytest.MonkeyPatch, **environment: str) -> Config:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    namespace: dict[str, object] = {}
    exec(compile(CONF.read_text(), str(CONF), "exec"), namespace)  # what gunicorn does with the file
    config = Config()
    config.set("forwarded_allow_ips", namespace["forwarded_allow_ips"])
    return config


def test_gunicorn_trusts_no_address_with_x_forwarded_proto_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_FORWARDED_ALLOW_IPS", raising=False)
    assert Config().forwarded_allow_ips != []  # gunicorn's own default trusts 127.0.0.1
    assert loaded(monkeypatch).forwarded_allow_ips == []


def test_the_proxy_address_can_be_named(monkeypatch):
    config = loaded(monkeypatch, GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.5")
    assert config.forwarded_allow_ips == ["10.0.0.5"]
