from timetracker.api.routers import APIRouter

from . import views

router = APIRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("tasks", views.TaskViewSet, basename="task")

urlpatterns = router.urls
