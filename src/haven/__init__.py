"""Haven: find copies of private media, triage threats, keep evidence that verifies."""

import os

# OpenMP threads spin for a long while before they sleep (libgomp's default). With a second busy
# process on the machine, the bundled e5 model then fell from ~90 embeddings a second to under
# one. A short spin keeps nearly all the speed on an idle machine (~87/s) and avoids the cliff
# (~23/s beside a busy process). Set before any OpenMP runtime (e5, faiss, scikit-learn) loads;
# a value the user set is kept.
os.environ.setdefault("GOMP_SPINCOUNT", "10000")

__version__ = "0.1.0"
