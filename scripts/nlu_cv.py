"""Cross-validation of the NLU data with the same folds on every run (`make nlu-cv`).

Runs `rasa test nlu --cross-validation` with the given arguments. Rasa draws its stratified folds
from NumPy's global random generator without a seed, so the figures would move by about ±0.01
from run to run and a threshold near them would pass or fail by chance. Seeding that generator
first fixes the folds; training itself is seeded by the components' `random_seed`.
"""

from __future__ import annotations

import sys

FOLD_SEED = 4711


def main(argv: list[str]) -> None:
    import numpy as np
    from rasa.__main__ import main as rasa_main

    np.random.seed(FOLD_SEED)
    sys.argv = ["rasa", "test", "nlu", "--cross-validation", *argv]
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
