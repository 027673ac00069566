"""Demo branches: an HR service hall and a partner bank in each of the 23 towns and streets."""

from __future__ import annotations

from sscard.addresses.towns import TOWNS

BANKS = ["中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "中山农商银行", "广发银行"]
HR_HOURS = "周一至周五 9:00-12:00,13:30-17:00（法定节假日除外）"
BANK_HOURS = "周一至周日 9:00-17:00"
ROADS = ["中山路", "兴中道", "博爱路", "康华路", "岐关路", "富华道", "悦来路", "中兴大道"]
PERMIT_HALLS = {"dongqu", "shiqi"}  # the city hall and the old-town hall take HK/Macao/Taiwan/foreign cases


def demo_branches() -> list[dict]:
    rows = []
    for index, town in enumerate(TOWNS, start=1):
        place = town.name.removesuffix("街道").removesuffix("镇")
        rows.append(
            {
                "code": f"HR{index:02d}",
                "name": f"{place}人社服务窗口",
                "kind": "hr",
                "town": town.code,
                "address": f"中山市{town.name}{ROADS[index % len(ROADS)]}{index * 3 + 1}号政务服务中心一楼",
                "opening_hours": HR_HOURS,
                "phone": "12333",
                "handles_permits": town.code in PERMIT_HALLS,
            }
        )
        bank = BANKS[index % len(BANKS)]
        rows.append(
            {
                "code": f"BK{index:02d}",
                "name": f"{bank}中山{place}支行",
                "kind": "bank",
                "town": town.code,
                "address": f"中山市{town.name}{ROADS[(index + 3) % len(ROADS)]}{index * 5 + 2}号",
                "opening_hours": BANK_HOURS,
                "phone": "",
                "handles_permits": False,
            }
        )
    return rows
