"""Access to the local PostgreSQL and Redis for the scale-out tests.

Where a service is not reachable the tests skip with the reason; under CI (`CI=true`) they fail
instead, because there the services are part of the machine.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from bot.errors import SetupError
from bot.scaled import check_postgres, check_redis
from bot.scaled_settings import ScaledSettings, load_scaled_settings


def scaled_settings() -> ScaledSettings:
    """The profile's settings as `asa-bot run-scaled` reads them (environment and `.env`)."""
    return load_scaled_settings()


def require_services(settings: ScaledSettings) -> None:
    """Skip (or, under CI, fail) when PostgreSQL or Redis cannot be used."""
    try:
        check_postgres(settings)
        check_redis(settings)
    except SetupError as error:
        message = f"Scale-out-Test braucht PostgreSQL und Redis: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def own_schema(settings: ScaledSettings) -> Iterator[str]:
    """A fresh PostgreSQL schema for one test module, dropped with all its rows afterwards."""
    import psycopg2

    schema = f"asa_e2e_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(settings.postgres_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {schema}")
        yield schema
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.close()


def stored_events(settings: ScaledSettings, schema: str, sender: str) -> list[dict[str, Any]]:
    """The conversation's events in the order the tracker store saved them."""
    import psycopg2

    connection = psycopg2.connect(settings.postgres_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT data FROM {schema}.events WHERE sender_id = %s ORDER BY id",
                (sender,),
            )
            return [json.loads(row[0]) for row in cursor.fetchall()]
    except psycopg2.errors.UndefinedTable:
        return []
    finally:
        connection.close()


def user_texts(events: list[dict[str, Any]]) -> list[str]:
    return [str(e.get("text")) for e in events if e.get("event") == "user"]


def rabbitmq_url() -> tuple[str | None, str]:
    """RabbitMQ for the event broker test: (URL, "") when usable, else (None, the reason)."""
    from bot.scaled import check_rabbitmq

    url = os.environ.get("ASA_RABBITMQ_URL") or "amqp://guest:guest@127.0.0.1:5672"
    try:
        check_rabbitmq(load_scaled_settings({"ASA_RABBITMQ_URL": url}))
    except SetupError as error:
        return None, str(error)
    return url, ""


def drain_queue(url: str, queue: str, *, delete: bool, limit: int = 5000) -> list[dict[str, Any]]:
    """Every message waiting in `queue` (read and acknowledged); `delete` removes the queue."""
    import asyncio

    import aio_pika

    async def _drain() -> list[dict[str, Any]]:
        connection = await aio_pika.connect(url, timeout=10)
        try:
            channel = await connection.channel()
            declared = await channel.declare_queue(queue, durable=True)
            found: list[dict[str, Any]] = []
            for _ in range(limit):
                message = await declared.get(no_ack=True, fail=False, timeout=10)
                if message is None:
                    break
                found.append(json.loads(message.body))
            if delete:
                await declared.delete(if_unused=False, if_empty=False)
            return found
        finally:
            await connection.close()

    return asyncio.run(_drain())
