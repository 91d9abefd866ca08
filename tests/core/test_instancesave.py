"""Saving a checked instance: the one path behind the wizard's Save step and ``gpudesk setup``.

Real files in the test's temporary GPUDESK_HOME (instances.json, the pinned host keys); the
secret store is gpudesk's in-memory one.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from gpudesk.core.errors import InputError
from gpudesk.core.models import SshTarget
from gpudesk.core.setup.instancesave import save_checked_instance
from gpudesk.core.ssh.hostkeys import HostKeyStore, PresentedKey
from gpudesk.core.store.instances import Instance, InstanceStore
from gpudesk.core.store.secrets import MemorySecretStore, secret_name

KEY = PresentedKey(
    "ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIGj1dB6bW3Gy5GQ0ZlFH0VvdpH5XvNqfP3b2p5uJ7bL0"
)
ADDRESS_PIN = "127.0.0.1_2222"


def wanted(**changes: object) -> Instance:
    base = Instance(
        alias="gpu-a",
        target=SshTarget(user="root", host="127.0.0.1", port=2222),
        platform_id="autodl",
        host_key_alias="",
        key_path="/keys/id",
        gpu_model="RTX 4090",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(name="host_keys")
def host_keys_fixture() -> HostKeyStore:
    store = HostKeyStore()
    store.pin(ADDRESS_PIN, KEY)
    return store


def test_a_new_instance_gets_its_own_pin_and_the_password_only_when_given(
    host_keys: HostKeyStore,
) -> None:
    secrets = MemorySecretStore()
    store = InstanceStore()
    saved = save_checked_instance(
        wanted(), checked_pin=ADDRESS_PIN, store=store, host_keys=host_keys,
        secrets=secrets, password="pw",
    )  # fmt: skip
    assert saved.changed
    instance = saved.instance
    assert instance.host_key_alias.startswith("gpudesk-")
    pin = host_keys.lookup(instance.host_key_alias)
    assert pin is not None and pin.fingerprint == KEY.fingerprint
    assert secrets.get(secret_name("password", instance.instance_id)) == "pw"
    assert store.get("gpu-a") == instance


def test_saving_the_same_again_writes_nothing_and_an_update_keeps_pin_and_tunnels(
    host_keys: HostKeyStore,
) -> None:
    store = InstanceStore()
    first = save_checked_instance(
        wanted(workdir="/root/work/"), checked_pin=ADDRESS_PIN, store=store, host_keys=host_keys
    ).instance
    assert first.workdir == "/root/work"
    saved_file = store.path.read_bytes()
    again = save_checked_instance(
        wanted(workdir="/root/work", host_key_alias=first.host_key_alias),
        checked_pin=first.host_key_alias, store=store, host_keys=host_keys,
    )  # fmt: skip
    assert not again.changed and store.path.read_bytes() == saved_file
    moved = wanted(target=SshTarget(user="root", host="127.0.0.1", port=2300), gpu_model=None)
    updated = save_checked_instance(
        moved, checked_pin=ADDRESS_PIN, store=store, host_keys=host_keys
    )
    assert updated.changed
    assert updated.instance.host_key_alias == first.host_key_alias
    assert updated.instance.target.port == 2300
    assert (updated.instance.gpu_model, updated.instance.workdir) == ("RTX 4090", "/root/work")
    assert updated.instance.created_at == first.created_at


def test_a_bad_workdir_is_refused_before_anything_is_written(host_keys: HostKeyStore) -> None:
    secrets = MemorySecretStore()
    store = InstanceStore()
    with pytest.raises(InputError) as caught:
        save_checked_instance(
            wanted(workdir="~/work dir"), checked_pin=ADDRESS_PIN, store=store,
            host_keys=host_keys, secrets=secrets, password="pw",
        )  # fmt: skip
    assert caught.value.code == "vscode.bad_path"
    assert store.list() == []
    assert len(host_keys.path.read_text().splitlines()) == 1  # only the address pin


def test_the_password_is_taken_back_when_the_instance_cannot_be_saved(
    host_keys: HostKeyStore,
) -> None:
    secrets = MemorySecretStore()
    store = InstanceStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(json.dumps({"version": 999, "instances": []}))  # a newer file
    with pytest.raises(Exception):  # noqa: B017 - FileWriteError or InputError
        save_checked_instance(
            wanted(host_key_alias="gpudesk-0123456789ab"), checked_pin=ADDRESS_PIN,
            store=store, host_keys=host_keys, secrets=secrets, password="pw",
        )  # fmt: skip
    assert secrets.get(secret_name("password", "gpudesk-0123456789ab")) is None
    assert host_keys.lookup("gpudesk-0123456789ab") is None
