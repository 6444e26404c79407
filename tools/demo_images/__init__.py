"""The drawn demo images: catalogue, painting primitives and scenes (``tools/make_demo_images.py``)."""
