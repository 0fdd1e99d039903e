"""Extension points: a lower app declares and calls one, a higher app plugs in at start-up.

Apps import only downwards (docs/architecture.md). When a lower app needs
something only a higher one knows (question statistics in the bank's detail,
a session started from a question set), it declares a Hook next to the code
that calls it; the higher app registers the implementation in its
AppConfig.ready(). Nothing here imports an app.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """One named slot for one implementation."""

    def __init__(self, name: str, contract: str):
        self.name, self.contract = name, contract
        self._implementation: Callable | None = None

    def register(self, implementation: Callable) -> None:
        if self._implementation not in (None, implementation):
            raise ImproperlyConfigured(f"Hook {self.name} already has an implementation: {self._implementation!r}.")
        self._implementation = implementation

    @property
    def registered(self) -> bool:
        return self._implementation is not None

    def __call__(self, *args, **kwargs):
        if self._implementation is None:
            raise ImproperlyConfigured(f"Nothing is registered for hook {self.name} ({self.contract}).")
        return self._implementation(*args, **kwargs)

    def __repr__(self):
        return f"<Hook {self.name}: {self._implementation!r}>"
