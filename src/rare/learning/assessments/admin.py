"""Admin of the framework, assessment rounds, answers and learning plans (the pages do the daily work)."""

from django.contrib import admin

from rare.learning.models import AssessmentRound, Competency, LearningPlan, PlanItem, Rating, SelfAssessment


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "position", "retired")
    list_filter = ("programme", "retired")
    list_select_related = ("programme",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ("__str__", "programme", "kind", "opens_at", "closes_at")
    list_filter = ("programme", "kind")
    list_select_related = ("programme", "camp")


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    raw_id_fields = ("competency",)


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "round", "person", "updated_at")
    list_select_related = ("round__programme", "round__camp", "person")
    raw_id_fields = ("person", "submitted_by")
    filter_horizontal = ("priorities",)
    inlines = [RatingInline]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    raw_id_fields = ("session", "resource", "competency", "added_by")


@admin.register(LearningPlan)
class LearningPlanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "person", "programme")
    list_select_related = ("person", "programme")
    raw_id_fields = ("person",)
    inlines = [PlanItemInline]
