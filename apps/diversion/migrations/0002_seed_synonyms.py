from django.db import migrations

# Callers' everyday words and the words the seed lists use for the same thing.
SYNONYMS = {
    "狗": "犬",
    "遛狗": "遛犬",
    "狗咬": "犬咬",
    "不亮": "故障",
    "灯坏": "路灯故障",
    "井盖": "窨井盖",
    "偷": "盗",
    "打架": "殴打",
    "打人": "殴打",
    "没电": "停电",
    "没水": "停水",
    "吵": "噪音",
    "扰民": "噪音",
    "拖欠工资": "劳资纠纷",
    "欠薪": "劳资纠纷",
    "乱停车": "违法停车",
    "摆摊": "占道经营",
    "骗": "诈骗",
    "火灾": "火情",
}


def seed(apps, schema_editor):
    LookupSynonym = apps.get_model("diversion", "LookupSynonym")
    for spoken, listed in SYNONYMS.items():
        LookupSynonym.objects.get_or_create(spoken=spoken, defaults={"listed": listed})


def unseed(apps, schema_editor):
    apps.get_model("diversion", "LookupSynonym").objects.filter(spoken__in=SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("diversion", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
