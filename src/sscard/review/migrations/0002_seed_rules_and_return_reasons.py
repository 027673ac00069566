"""The auto-review rules (all on) and the common return reasons (DESIGN.md §3b), editable in the admin."""

from django.db import migrations

RULES = [
    ("auto_approval", "允许机器自动审核通过", "关闭后机器仍做检查、给出结论，但所有申领都由人工审核"),
    ("registry_match", "申领人信息与登记一致", "申领人在登记库中，姓名和证件号码一致"),
    ("eligibility", "符合线上申领条件", "中山户籍、在中山参保或在中山读书；年龄与代办关系相符"),
    ("images_passed", "照片全部通过检查", "所需的每张照片都已上传并通过机器检查"),
    ("no_relationship_proof", "无需人工核对关系证明", "为父母或子女代办的，关系证明须由人工核对"),
    ("no_live_card", "名下没有其他有效社保卡", "本系统和卡管系统中都没有未作废的第三代社保卡"),
    ("no_duplicate_application", "没有其他在办申领", "同一证件号码没有另一份在办申领"),
    ("address_precise", "地址精确到门牌", "联系地址为中山市镇街并精确到门牌号或楼栋房号"),
    ("pickup_valid", "领卡方式有效", "邮寄到家，或选择的网点仍在营业"),
    ("not_returned_before", "本次不是退回补正后的重新提交", "退回补正后重新提交的，由人工复核补正的材料"),
]

REASONS = [
    ("portrait_background", "证件照背景不是白色", "证件照的背景不是白色（或有杂物、阴影）。",
     "请在白墙前拍摄，或到照相馆拍白底证件照后重新上传。", "portrait", False),
    ("portrait_blurred", "证件照模糊或过度美颜", "证件照不清晰，或经过美颜、滤镜处理，看不出本人真实样貌。",
     "请用手机原相机在光线充足处拍摄，不要开美颜和滤镜。", "portrait", False),
    ("portrait_head", "头部有遮挡或没有正对镜头", "证件照中头部有遮挡（帽子、饰品、头发遮住眉毛或耳朵）或没有正对镜头。",
     "请摘下帽子和饰品，露出眉毛和耳朵，正对镜头拍摄。", "portrait", False),
    ("id_front_unclear", "身份证人像面不清晰或四角不全", "身份证人像面的照片看不清，或没有拍全四个角。",
     "请把身份证平放在深色桌面上，对准后拍摄，四个角都要在照片里，不要反光。", "id_front", False),
    ("id_back_unclear", "身份证国徽面不清晰或四角不全", "身份证国徽面的照片看不清，或没有拍全四个角。",
     "请把身份证平放在深色桌面上，对准后拍摄，四个角都要在照片里，有效期限要看得清。", "id_back", False),
    ("id_expired", "身份证已过有效期", "您上传的身份证已经过了有效期限。",
     "请先办理新的身份证，再用新证拍照上传；着急用卡的，可带临时身份证到网点办理。", "id_back", False),
    ("id_swapped", "身份证正反面放反或拍在同一张图", "身份证的人像面和国徽面放反了，或两面拍在了同一张照片里。",
     "请两面分开拍：人像面（有照片的一面）传到“人像面”，国徽面传到“国徽面”。", "id_front", False),
    ("address_imprecise", "地址没有精确到门牌", "联系地址没有精确到门牌号，卡片可能无法送达。",
     "请补充到门牌号或小区楼栋房号，例如“幸福小区5栋3单元602”。", "address", False),
    ("relationship_proof", "关系证明缺失或看不清", "没有上传关系证明，或户口本页面看不清，无法确认您与申领人的关系。",
     "请上传能看清双方姓名和关系的户口本页面；为孩子办理也可上传出生医学证明。", "relationship_proof", False),
    ("not_applicant", "身份证上的人不是申领人", "证件照上的人与身份证上的不是同一个人。",
     "请上传申领人本人近期的证件照；为家人代办时，请上传家人的照片，不要用自己的。", "portrait", False),
    ("other", "其他问题", "材料还有其他问题，具体见审核员的说明。",
     "请按审核员的说明修改后重新提交；有疑问可拨打12333。", "other", True),
]


def seed(apps, schema_editor):
    ReviewRule = apps.get_model("review", "ReviewRule")
    ReturnReason = apps.get_model("review", "ReturnReason")
    for order, (code, title, description) in enumerate(RULES):
        ReviewRule.objects.get_or_create(
            code=code, defaults={"title": title, "description": description, "enabled": True, "order": order}
        )
    for order, (code, title, citizen_text, fix_tip, part, needs_note) in enumerate(REASONS):
        ReturnReason.objects.get_or_create(
            code=code,
            defaults={"title": title, "citizen_text": citizen_text, "fix_tip": fix_tip, "part": part,
                      "needs_note": needs_note, "active": True, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
