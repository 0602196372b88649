"""The same formats as in Chinese (see ``zh_Hans/formats.py``)."""

from config.formats.zh_Hans.formats import *  # noqa: F403
