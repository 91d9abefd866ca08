"""Cloud platforms' own APIs: list instances, power on and off, read the SSH endpoint, balance.

Lives here: ``model`` (the :class:`Provider` interface and its plain data), ``apiclient``
(HTTP through httpx: timeouts, proxies from the environment, bounded retries), ``refusals``
(a platform's answers mapped to gpudesk's errors), ``autodl`` (the AutoDL container
instance Pro API), ``luchen`` (潞晨云, only what its documentation confirms), ``accounts``
(which accounts are connected and which saved instance is which platform instance; tokens
only in the keyring), ``poweron`` (power on with waiting for a free GPU, wait for running)
and ``follow`` (after a power cycle, re-point the saved instance at its new endpoint).

May import: base modules, ``store``, ``ssh``, ``keys``, ``catalog``, ``editor`` and
``tunnels``; never ``apps``/``monitor`` siblings' faces, ``desktop`` or ``wizard``.
"""
