"""One clock reading per API request, at the edge: views pass `self.now` down.

Services, selectors and serializers take `now` as an input (STYLE: time is an
input), so a request sees one instant throughout and tests move time with
time_machine.
"""

from django.utils import timezone


class RequestClockMixin:
    """For DRF views: `self.now` is read once in `initial()`; generic views also
    hand it to their serializers as `context["now"]`."""

    def initial(self, request, *args, **kwargs):
        self.now = timezone.now()
        super().initial(request, *args, **kwargs)

    def get_serializer_context(self):
        # Schema generation builds serializers without a request: no clock then.
        return {**super().get_serializer_context(), "now": getattr(self, "now", None)}
