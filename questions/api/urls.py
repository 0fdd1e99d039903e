from rest_framework.routers import DefaultRouter

from questions.api.views import CategoryViewSet, QuestionViewSet

router = DefaultRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("questions", QuestionViewSet, basename="question")

urlpatterns = router.urls
