from __future__ import annotations

import os

import dagster as dg

from pipelines.collect.fetcher import USER_AGENT, Politeness
from pipelines.collect.sources import DEFAULT_SOURCES


class CollectSettings(dg.ConfigurableResource):
    """Where the sources list is and how politely to fetch (the defaults of `xxgk collect`)."""

    sources: str = os.environ.get("XXGK_SOURCES", str(DEFAULT_SOURCES))
    delay_s: float = Politeness.delay_s
    budget: int = Politeness.budget
    timeout_s: float = Politeness.timeout_s
    retry_wait_s: float = Politeness.retry_wait_s
    user_agent: str = USER_AGENT

    def politeness(self) -> Politeness:
        return Politeness(
            user_agent=self.user_agent,
            delay_s=self.delay_s,
            timeout_s=self.timeout_s,
            budget=self.budget,
            retry_wait_s=self.retry_wait_s,
        )
