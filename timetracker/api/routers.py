from rest_framework.routers import SimpleRouter


class APIRouter(SimpleRouter):
    """Routes answer with or without a trailing slash (the spec writes ``/api/v1/projects``)."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"
