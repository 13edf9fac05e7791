"""The daemon's reload: SIGHUP, or a configuration file whose modification time changed,
loads the configuration again; sources added, removed or changed get their jobs added,
removed or moved, and a bad file is logged while the running configuration stays."""

from __future__ import annotations

import logging
import os
import sqlite3
from typing import Any

from apscheduler.jobstores.base import JobLookupError

from chipwatch.db.store import Store
from chipwatch.monitor.config import Config, ConfigError, load_config
from chipwatch.monitor.fetch import Fetcher, FetchParams, utc_now
from chipwatch.monitor.poll import (
    PollContext, next_due, select_sources,
)
from chipwatch.monitor.since import parse_time
from chipwatch.monitor.daemon_schedule import FAILED_STATUSES, SOURCE_JOB, retry_after_of
from chipwatch.monitor.daemon_upkeep import DaemonUpkeep

# one logger for every part of the daemon, so its lines read as before the split
log = logging.getLogger("chipwatch.monitor.daemon")


class DaemonReload(DaemonUpkeep):
    """Configuration reload on top of the jobs."""

    def __init__(self, config: Config, store: Store, **kwargs: Any) -> None:
        super().__init__(config, store, **kwargs)
        self._config_mtimes = self._mtimes(config)

    @staticmethod
    def _mtimes(config: Config) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for path in (config.path, config.sources_path, config.baseline_path):
            if path is not None:
                try:
                    out[str(path)] = os.stat(path).st_mtime_ns
                except OSError:
                    out[str(path)] = None
        return out

    async def _check_config_files(self) -> None:
        now = self._mtimes(self.config)
        if now != self._config_mtimes:
            self._config_mtimes = now  # a bad file is reported once, not at every look
            self.reload("configuration file changed")

    def _sync_sources(self, config: Config) -> None:
        try:
            self.store.sync_sources(config.sources)
        except sqlite3.Error as exc:
            log.error("cannot write the source list to the database (%s)", exc)
        if self.scheduler is not None:  # the baseline too, but off the loop (see _sync_claims)
            self.scheduler.add_job(self._sync_claims, id="baseline-sync", name="baseline-sync",
                                   replace_existing=True, misfire_grace_time=None)

    def reload(self, why: str = "reload") -> bool:
        """Apply a changed configuration; a bad one is logged and the running one kept."""
        if self.stopping or self.scheduler is None or self.ctx is None:
            return False
        try:
            new = load_config(self.config.path)
        except ConfigError as exc:
            log.error("%s: the new configuration is not valid, keeping the running one: %s", why, exc,
                      extra={"event": "reload_failed"})
            return False
        known = {s.name for s in new.sources}
        only = [n for n in self.only if n in known] if self.only else None
        if self.only and not only:
            log.error("%s: none of the sources named with --source are configured any more; keeping "
                      "the running configuration", why)
            return False
        wanted = {s.name: s for s in select_sources(new, only)}
        self._config_mtimes = self._mtimes(new)
        self._sync_sources(new)
        params = FetchParams.from_config(new.fetch)
        if params != self.ctx.fetcher.params:
            self._retired.append(self.ctx.fetcher)  # in-flight polls finish with it; closed at stop
            self.ctx = PollContext(config=new, store=self.store, fetcher=Fetcher(params), workers=self.workers)
        else:
            self.ctx.config = new
        old = self.sources
        self.config = new
        removed = [n for n in old if n not in wanted]
        added = [s for n, s in wanted.items() if n not in old]
        changed = [s for n, s in wanted.items() if n in old and old[n] != s]
        self.sources = dict(wanted)
        for name in removed:
            try:
                self.scheduler.remove_job(SOURCE_JOB + name)
            except JobLookupError:
                pass
            self.planned.pop(name, None)
        for source in changed:
            if old[source.name].interval != source.interval:
                # as if the last poll had been planned with the new interval
                state = self._states([source.name])[source.name] or {}
                last = parse_time(state.get("last_attempt"))
                now = utc_now()
                when = now
                if last is not None:
                    failures = int(state.get("failures_in_row") or 0)
                    when = max(now, next_due(self.ctx, source, failures, state.get("status") in FAILED_STATUSES,
                                             last, retry_after_of(state)))
                self.scheduler.reschedule_job(SOURCE_JOB + source.name, trigger=self._trigger(source))
                self.scheduler.modify_job(SOURCE_JOB + source.name, next_run_time=when)
                self._set_planned(source.name, when)
        self._schedule_new(added)
        log.info("%s: configuration reloaded: %d sources; added %s; removed %s; changed %s", why,
                 len(self.sources), _names(s.name for s in added), _names(removed),
                 _names(s.name for s in changed),
                 extra={"event": "reloaded", "sources": len(self.sources)})
        return True


def _names(items: Any) -> str:
    names = list(items)
    return ", ".join(names) if names else "none"
