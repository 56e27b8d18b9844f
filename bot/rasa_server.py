"""Runs Rasa's command line (`python -m bot.rasa_server run …`) with the project's speed-ups.

Every Rasa server of the project starts through this module (`asa-bot run`, `asa-bot
run-scaled`, and so `make bench`). Before Rasa starts, it

- validates the action server's replies with a validator built once: Rasa 3.6 calls
  `jsonschema.validate` for every reply, and jsonschema 4.17 then checks Rasa's constant response
  schema against the 2020-12 meta-schema each time (about 15-25 ms of CPU per call on this
  project's machine, against 0.5 ms for the reply itself). The schema, the validator class and
  the check of the schema are the same, so a reply that Rasa refuses is still refused, with
  Rasa's own error message;
- loads TensorFlow models for prediction without tracing a training step
  (`use_prediction_only_loading`);
- keeps the SQLite conversation store's connections open (`use_pooled_sqlite_connections`);
- reads a button payload of one of the domain's intents ("/affirm", '/info{"situation":
  "schule"}') without running the NLU models (`use_payload_shortcut`): Rasa runs the whole NLU
  pipeline on such a message and then replaces everything it found by the payload's intent and
  entities, so the result is the same;
- finds the class of a stored event by a table instead of searching all subclasses of `Event`
  for each event it reads (`use_event_type_table`);
- reads and writes conversations in the SQL store as plain rows, not as ORM objects, and knows
  how many events of a conversation are stored when it saves, instead of counting them in the
  database again (`use_lean_sql_store`);
- sends the action server the domain without the texts of its responses
  (`use_compact_action_domain`): actions answer by a response's name, and the texts were nine
  tenths of every request;
- runs the prediction graph's nodes in an order worked out once per set of targets, instead of
  building and scheduling a dask graph for each run (`use_sequential_graph_runner`);
- reads the HTTP API's token from ASA_RASA_API_TOKEN when `--enable-api` is given, so the token
  stays out of the process list (`ps` shows every argument to all users of the machine, the
  environment only to the bot's own user).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

#: Environment variable with the HTTP API's token; required with `--enable-api`.
TOKEN_VARIABLE = "ASA_RASA_API_TOKEN"


def compiled_action_response_validator() -> Any:
    """A jsonschema validator for Rasa's action server response schema, checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def use_compiled_action_validation() -> None:
    """Make `RemoteAction` validate replies with the validator built once.

    A reply with an error goes on to Rasa's own check, which raises the same error with Rasa's
    message; a valid reply is accepted as before.
    """
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction

    rasa_check = RemoteAction._validate_action_result
    if getattr(rasa_check, "_asa_compiled", False):
        return
    validator = compiled_action_response_validator()

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        if best_match(validator.iter_errors(result)) is None:
            return True
        return bool(rasa_check(self, result))

    _validate_action_result._asa_compiled = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result


def _load_for_prediction(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """`RasaModel.load` for prediction: variables built by a prediction, not by a training step.

    Rasa builds a loaded model's variables by fitting it on one example, which traces the whole
    training step (loss, gradients, optimizer) only to throw it away. Here one prediction builds
    every variable that prediction uses, the trained weights are read into them, and the
    prediction is traced again, so that the cached label embeddings and the traced function use
    the trained weights. The optimizer's state in the file is not needed for prediction.
    """
    import tensorflow as tf  # type: ignore[import-untyped]

    model = cls(*args, **kwargs)
    learning_rate = kwargs.get("config", {}).get("learning_rate", 0.001)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate))
    model.run_inference(predict_data_example)
    model.load_weights(model_file_name).expect_partial()
    model.prepared_for_prediction = False
    model._tf_predict_step = None
    model.run_inference(predict_data_example)
    return model


def use_prediction_only_loading() -> None:
    """Make `RasaModel.load` skip the training step when a model is loaded only to predict.

    Fine-tuning, and a model without an example for prediction, load as Rasa does.
    """
    from rasa.utils.tensorflow.models import RasaModel

    rasa_load = RasaModel.load.__func__
    if getattr(rasa_load, "_asa_prediction_only", False):
        return

    def load(
        cls: Any,
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if (
            finetune_mode
            or predict_data_example is None
            or kwargs.get("config", {}).get("run_eagerly")
        ):
            return rasa_load(
                cls,
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        return _load_for_prediction(
            cls, model_file_name, model_data_example, predict_data_example, False, *args, **kwargs
        )

    load._asa_prediction_only = True  # type: ignore[attr-defined]
    RasaModel.load = classmethod(load)


def _sqlite_engine_kwargs(url: Any, rasa_kwargs: Any) -> dict[str, Any]:
    if not str(url).startswith("sqlite"):
        return dict(rasa_kwargs(url))
    import sqlalchemy as sa

    # The connections are used from Rasa's event loop; the flag lets the pool hand one to another
    # thread, which Python's sqlite3 refuses by default.
    return {"poolclass": sa.pool.QueuePool, "connect_args": {"check_same_thread": False}}


def use_pooled_sqlite_connections() -> None:
    """Keep the SQLite conversation store's connections open between messages.

    SQLAlchemy 1.4 opens and closes a connection for every use of a SQLite file. Closing the last
    connection of a file in write-ahead-log mode writes the log back into the file with several
    flushes to disk, so each message waited for them (about 15 ms on this project's machine,
    against 3 ms with the connection kept). Other databases are left as Rasa configures them.
    """
    from rasa.core import tracker_store

    rasa_kwargs = tracker_store.create_engine_kwargs
    if getattr(rasa_kwargs, "_asa_pooled", False):
        return

    def create_engine_kwargs(url: Any) -> dict[str, Any]:
        return _sqlite_engine_kwargs(url, rasa_kwargs)

    create_engine_kwargs._asa_pooled = True  # type: ignore[attr-defined]
    tracker_store.create_engine_kwargs = create_engine_kwargs


#: The NLU graph's last component, which reads payloads; its name marks the entities it read.
_PAYLOAD_READER = "RegexMessageHandler"


def payload_parse_data(
    text: str | None, domain: Any, only_output_properties: bool = True
) -> dict[str, Any] | None:
    """Parse data of a button payload of one of the domain's intents, or None for other text.

    This is what Rasa's NLU graph returns for such a payload: its last component,
    `RegexMessageHandler`, replaces the message by a new one holding only the payload's text,
    intent, intent ranking and entities (checked against the domain). Anything else, such as a
    payload of an unknown intent or a topic payload ("/faq/kosten"), goes through the graph.
    """
    from rasa.shared.constants import INTENT_MESSAGE_PREFIX
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.constants import (
        ENTITIES,
        INTENT,
        INTENT_NAME_KEY,
        PREDICTED_CONFIDENCE_KEY,
        TEXT,
    )
    from rasa.shared.nlu.training_data.message import Message

    if not text or not text.strip().startswith(INTENT_MESSAGE_PREFIX):
        return None
    message = Message(data={TEXT: text})
    unpacked = YAMLStoryReader.unpack_regex_message(message, domain, _PAYLOAD_READER)
    intent = (unpacked.get(INTENT) or {}).get(INTENT_NAME_KEY)
    if unpacked is message or not intent:
        return None
    parse_data: dict[str, Any] = {
        TEXT: "",
        INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
        ENTITIES: [],
    }
    parse_data.update(unpacked.as_dict(only_output_properties=only_output_properties))
    return parse_data


def use_payload_shortcut() -> None:
    """Read payloads of the domain's intents without running the NLU graph (`payload_parse_data`).

    Buttons send such payloads: in the widget and the staff-training scripts they are most
    messages. Running the models on them cost 10–20 ms of CPU per message for a result that
    Rasa then throws away.
    """
    from rasa.core.processor import MessageProcessor

    rasa_parse = MessageProcessor._parse_message_with_graph
    if getattr(rasa_parse, "_asa_shortcut", False):
        return

    def _parse_message_with_graph(
        self: MessageProcessor,
        message: Any,
        tracker: Any,
        only_output_properties: bool = True,
    ) -> dict[str, Any]:
        parse_data = payload_parse_data(message.text, self.domain, only_output_properties)
        if parse_data is not None:
            return parse_data
        parsed: dict[str, Any] = rasa_parse(self, message, tracker, only_output_properties)
        return parsed

    _parse_message_with_graph._asa_shortcut = True  # type: ignore[attr-defined]
    MessageProcessor._parse_message_with_graph = _parse_message_with_graph


def use_event_type_table() -> None:
    """Resolve event type names ("user", "slot", …) through a table filled on first use.

    Rasa walks all subclasses of `Event` for every event it reads from the store: a quarter of the
    time of reading a conversation. The table holds what that walk returned, so the answer is the
    same; names it does not know, and unknown names, still take Rasa's own way.
    """
    from rasa.shared.core.events import Event

    rasa_resolve = Event.resolve_by_type
    if getattr(rasa_resolve, "_asa_table", False):
        return
    table: dict[str, Any] = {}

    def resolve_by_type(type_name: str, default: Any = None) -> Any:
        found = table.get(type_name)
        if found is not None:
            return found
        found = rasa_resolve(type_name, default)
        if found is not None and found is not default:
            table[type_name] = found
        return found

    resolve_by_type._asa_table = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)


#: Attribute of a tracker read from or written to the SQL store: how many of its events are stored.
_STORED_EVENTS = "_asa_stored_events"


def conversation_query(store: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
    """The stored texts of a conversation's events, in the order they were stored.

    The same rows as Rasa's `SQLTrackerStore._event_query`: all of the conversation's events, or
    only those since its latest `session_started` event (all of them if there is none), ordered
    by id; but selected as plain rows of one column instead of objects of the ORM class.
    """
    import sqlalchemy as sa
    from rasa.shared.core.events import SessionStarted

    table = store.SQLEvent.__table__
    query = sa.select(table.c.data).where(table.c.sender_id == sender_id)
    if not fetch_events_from_all_sessions:
        session_start = (
            sa.select(sa.func.max(table.c.timestamp))
            .where(table.c.sender_id == sender_id, table.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        query = query.where(sa.or_(table.c.timestamp >= session_start, session_start.is_(None)))
    return query.order_by(table.c.id)


def event_row(sender_id: str, event: Any) -> dict[str, Any]:
    """The columns Rasa's `SQLTrackerStore.save` stores for an event."""
    import json

    from rasa.shared.nlu.constants import INTENT_NAME_KEY

    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def use_lean_sql_store() -> None:
    """Read and write conversations in the SQL store with plain rows, and without counting.

    The SQL store (SQLite by default, PostgreSQL in the scale-out profile) is used twice per
    message: the conversation is read, and its new events are written. Rasa does both through
    SQLAlchemy's ORM, which builds an object for every stored event it reads and runs its unit of
    work for every event it writes: more than half of the time of either step. Here the same rows
    are read with one plain query (`conversation_query`) and the same columns written with one
    insert (`event_row`).

    Before writing, Rasa also counts a conversation's stored events in the database to find the
    new ones. A tracker this store just read (or wrote) knows that number: every message of a
    conversation is handled under its lock, so nothing else adds events in between. A tracker that
    does not know it, or has fewer events than it names, is counted as before.
    """
    import itertools
    import json

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(SQLTrackerStore.save, "_asa_lean", False):
        return
    rasa_additional = SQLTrackerStore._additional_events

    async def _retrieve(self: Any, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        query = conversation_query(self, sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            stored = session.execute(query).scalars().all()
        if not self.domain or not stored:
            return None
        events = [json.loads(data) for data in stored]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions:
            setattr(tracker, _STORED_EVENTS, len(stored))
        return tracker

    def _additional_events(self: Any, session: Any, tracker: Any) -> Any:
        known = getattr(tracker, _STORED_EVENTS, None)
        if not isinstance(known, int) or known > len(tracker.events):
            return rasa_additional(self, session, tracker)
        return itertools.islice(tracker.events, known, len(tracker.events))

    async def save(self: Any, tracker: Any) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [
                event_row(tracker.sender_id, event)
                for event in self._additional_events(session, tracker)
            ]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()
        setattr(tracker, _STORED_EVENTS, len(tracker.events))

    save._asa_lean = True  # type: ignore[attr-defined]
    SQLTrackerStore._retrieve = _retrieve
    SQLTrackerStore._additional_events = _additional_events
    SQLTrackerStore.save = save


def sequential_graph_runner_class() -> type:
    """A graph runner for prediction that runs the needed nodes one after another itself.

    Rasa runs the prediction graph (NLU for typed text, then the policies, two to three times per
    message) through dask's synchronous scheduler: for every run it finds the needed nodes anew,
    builds a dask graph, orders it and runs the tasks one by one on the same thread. The order
    of the needed nodes depends only on the targets, so here it is worked out once per set of
    targets and the nodes are called in it, each once, with the same arguments dask passes
    (`(name, output)` of each node it needs, in the order of its `needs`; a name that is neither
    a node nor an input is passed as the bare name, as dask does). Inputs and errors are
    handled as by Rasa's `DaskGraphRunner`, whose loading this class keeps.
    """
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    class SequentialGraphRunner(DaskGraphRunner):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._orders: dict[tuple[str, ...], tuple[dict[str, Any], list[str]]] = {}

        def _order(self, targets: tuple[str, ...]) -> tuple[dict[str, Any], list[str]]:
            known = self._orders.get(targets)
            if known is not None:
                return known
            nodes = self._graph_schema.minimal_graph_schema(list(targets)).nodes
            order: list[str] = []
            seen: set[str] = set()

            def visit(name: str) -> None:
                if name in seen or name not in nodes:
                    return
                seen.add(name)
                for needed in nodes[name].needs.values():
                    visit(needed)
                order.append(name)

            for name in nodes:
                visit(name)
            self._orders[targets] = (nodes, order)
            return nodes, order

        def run(
            self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
        ) -> dict[str, Any]:
            run_targets = targets if targets else self._graph_schema.target_names
            nodes, order = self._order(tuple(run_targets))
            values: dict[str, Any] = {}
            for name, value in (inputs or {}).items():
                if isinstance(value, str) and value in nodes:
                    raise GraphRunError(
                        f"Input value '{value}' clashes with a node name. Make sure "
                        f"that none of the input names passed to the `run` method are the "
                        f"same as node names in the graph schema."
                    )
                values[name] = (name, value)
            try:
                for name in order:
                    if name in values:  # an input of the same name replaces the node
                        continue
                    needed = nodes[name].needs.values()
                    values[name] = self._instantiated_nodes[name](
                        *(values.get(n, n) for n in needed)
                    )
            except RuntimeError as error:
                raise GraphRunError("Error running runner.") from error
            return dict(values[target] for target in run_targets)

    return SequentialGraphRunner


def use_sequential_graph_runner() -> None:
    """Load the model for prediction with `sequential_graph_runner_class`; training is unchanged."""
    from rasa.core import processor

    if getattr(processor.DaskGraphRunner, "_asa_sequential", False):
        return
    runner = sequential_graph_runner_class()
    runner._asa_sequential = True  # type: ignore[attr-defined]
    processor.DaskGraphRunner = runner


def compact_domain(domain: dict[str, Any]) -> dict[str, Any]:
    """The domain as the action server gets it: every response named, none with its texts."""
    responses = domain.get("responses")
    if not isinstance(responses, dict):
        return domain
    return {**domain, "responses": {name: [] for name in responses}}


def use_compact_action_domain() -> None:
    """Send custom actions the domain with response names but without response texts.

    The action server needs the slots, forms and intents (form validation), and this project's
    actions answer only by response name (`dispatcher.utter_message(response=…)`); one of them
    checks that a response exists. Rasa renders the texts itself. The compact domain is built
    once per domain.
    """
    from rasa.core.actions.action import RemoteAction

    rasa_format = RemoteAction._action_call_format
    if getattr(rasa_format, "_asa_compact", False):
        return
    built: dict[int, tuple[Any, dict[str, Any]]] = {}

    def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        result: dict[str, Any] = rasa_format(self, tracker, domain)
        if "domain" in result:
            cached = built.get(id(domain))
            if cached is None or cached[0] is not domain:
                cached = (domain, compact_domain(result["domain"]))
                built.clear()
                built[id(domain)] = cached
            result["domain"] = cached[1]
        return result

    _action_call_format._asa_compact = True  # type: ignore[attr-defined]
    RemoteAction._action_call_format = _action_call_format


def rasa_arguments(argv: Sequence[str], environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """Rasa's arguments; with `--enable-api` the token from the environment is added."""
    arguments = list(argv)
    if "--enable-api" in arguments:
        token = environ.get(TOKEN_VARIABLE, "")
        if not token:
            raise SystemExit(
                f"Fehler: {TOKEN_VARIABLE} ist leer; ohne Token bleibt die HTTP-API aus."
            )
        arguments += ["--auth-token", token]
    return arguments


def server_command(*arguments: str) -> list[str]:
    """The command that runs `rasa *arguments` through this module, in this interpreter's venv."""
    from bot.training import rasa_executable

    python = rasa_executable().parent / "python"
    return [str(python), "-m", "bot.rasa_server", *arguments]


def main(argv: Sequence[str] | None = None) -> None:
    arguments = rasa_arguments(sys.argv[1:] if argv is None else argv, os.environ)
    use_compiled_action_validation()
    use_prediction_only_loading()
    use_pooled_sqlite_connections()
    use_payload_shortcut()
    use_event_type_table()
    use_lean_sql_store()
    use_compact_action_domain()
    use_sequential_graph_runner()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
