from rest_framework import serializers

from apps.core.serializers import FieldsBuiltOnce

builds = []


class Counted(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    tags = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    shout = serializers.SerializerMethodField()

    def get_fields(self):
        builds.append(1)
        return super().get_fields()

    def get_shout(self, obj):
        return obj["name"].upper() + self.context.get("suffix", "")


class BuiltOnce(FieldsBuiltOnce, Counted):
    pass


def test_fields_are_built_once_per_class():
    builds.clear()
    for _n in range(3):
        BuiltOnce(data={"name": "a"}).is_valid()
    assert len(builds) == 1
    Counted(data={"name": "a"}).is_valid()
    Counted(data={"name": "a"}).is_valid()
    assert len(builds) == 3


def test_each_instance_binds_its_own_copies():
    first, second = BuiltOnce(context={"suffix": "!"}), BuiltOnce(context={"suffix": "?"})
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first and second.fields["name"].parent is second
    assert first.to_representation({"name": "ab"})["shout"] == "AB!"
    assert second.to_representation({"name": "ab"})["shout"] == "AB?"


def test_validation_still_names_each_bad_field():
    good = BuiltOnce(data={"name": "abc", "tags": [1, 2]})
    assert good.is_valid(), good.errors
    bad = BuiltOnce(data={"name": "toolong", "tags": [0]})
    assert not bad.is_valid()
    assert set(bad.errors) == {"name", "tags"}
    assert BuiltOnce(data={"name": "ok"}).is_valid()  # the failure left nothing behind
