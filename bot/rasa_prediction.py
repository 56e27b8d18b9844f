"""Speed-ups to Rasa's prediction, applied by `bot.rasa_server` before Rasa starts.

Each change gives the results of Rasa's own code:

- `use_prediction_only_loading`: TensorFlow models loaded for prediction build their variables by
  one prediction instead of tracing a whole training step;
- `use_payload_shortcut`: a button payload of one of the domain's intents is read by the NLU
  graph's last step alone, without the models whose result that step discards;
- `use_sequential_graph_runner`: the prediction graph's nodes run in an order worked out once per
  set of targets instead of through dask's scheduler for every run.
"""

from __future__ import annotations

from typing import Any


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
