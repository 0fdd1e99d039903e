"""Page-number pagination with a client-chosen, capped page size."""

from django.conf import settings
from rest_framework import pagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_next_link(self):
        return self._with_page_size_used(super().get_next_link())

    def get_previous_link(self):
        return self._with_page_size_used(super().get_previous_link())

    def _with_page_size_used(self, url):
        """Links carry the page size this page was cut with (clamped to the cap,
        or the default for a bad value), not whatever the client asked for."""
        if url is None or self.page_size_query_param not in self.request.query_params:
            return url
        used = self.page.paginator.per_page
        if used == self.page_size:
            return remove_query_param(url, self.page_size_query_param)
        return replace_query_param(url, self.page_size_query_param, used)
