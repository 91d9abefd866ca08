"""What can be rented: platforms, GPUs, images, and how well a checked instance fits.

Lives here: ``platforms`` (one JSON file per platform under ``resources/platforms``),
``gpus`` (the GPU table and the memory estimator), ``images`` (what an image name means per
platform) and ``assessment`` (mismatches found by a check).

May import: base modules, ``store`` and ``ssh``. Never ``editor``, ``keys`` or anything above.
"""
