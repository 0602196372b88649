from rest_framework.pagination import PageNumberPagination


class PageSizePagination(PageNumberPagination):
    """Pages of 100 by default; platforms may ask for up to 1,000 with ``page_size``."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
