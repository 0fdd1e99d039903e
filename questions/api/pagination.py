"""Page-number pagination with a client-chosen, capped page size, and counts
kept per bank version so paging through a large result counts it once."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.utils.urls import remove_query_param, replace_query_param


class CountCachedPaginator(Paginator):
    """Django's paginator, reading the count from the cache under `count_key` when given."""

    def __init__(self, *args, count_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        counted = cache.get(self.count_key)
        if counted is None:
            counted = super().count
            cache.set(self.count_key, counted, settings.BANK_READ_CACHE_TIMEOUT)
        return counted


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        # Views whose results depend only on the bank say where their count is kept.
        count_key = view.count_cache_key(request) if hasattr(view, "count_cache_key") else None
        self.django_paginator_class = lambda *args, **kwargs: CountCachedPaginator(*args, count_key=count_key, **kwargs)
        return super().paginate_queryset(queryset, request, view)

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
