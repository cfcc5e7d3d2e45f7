"""Rebuild ``samples/roster.xlsx``: ``python samples/make_roster.py``.

Twelve branches of a provincial unit (offices and its enterprises) with their secretaries,
phones and numbers of party members, and two inspection groups. Codes are written as text so
``0101`` stays ``0101``. The phone numbers are made up.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

BRANCHES = [
    ("0101", "机关办公室党支部", "王建国", 14),
    ("0102", "组织人事处党支部", "李秀英", 11),
    ("0103", "计划财务处党支部", "张志强", 9),
    ("0104", "规划发展处党支部", "刘洋", 8),
    ("0105", "科技信息处党支部", "陈静", 12),
    ("0106", "后勤服务中心党支部", "杨德明", 23),
    ("0107", "离退休干部党支部", "赵文华", 68),
    ("0108", "工程建设公司第一党支部", "黄海波", 37),
    ("0109", "工程建设公司第二党支部", "周丽", 29),
    ("0110", "交通运营公司党支部", "吴刚", 41),
    ("0111", "物资贸易公司党支部", "徐敏", 17),
    ("0112", "设计研究院党支部", "孙立新", 26),
]
INSPECTORS = [
    ("X01", "第一巡查组", "0101,0102,0103,0104,0105,0106"),
    ("X02", "第二巡查组", "0107,0108,0109,0110,0111,0112"),
]


def main() -> None:
    """Write the sample roster next to this script."""
    path = Path(__file__).with_name("roster.xlsx")
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    text = book.add_format({"num_format": "@", "border": 1})
    sheet = book.add_worksheet("branches")
    number = book.add_format({"border": 1})
    for col, (title, width) in enumerate((("代码", 8), ("名称", 28), ("书记", 10), ("邮箱", 30),
                                          ("联系电话", 14), ("党员人数", 10))):
        sheet.write_string(0, col, title, head)
        sheet.set_column(col, col, width)
    for row, (code, name, secretary, members) in enumerate(BRANCHES, start=1):
        for col, value in enumerate((code, name, secretary, f"dzb{code}@dangjian.example.cn",
                                     f"1380000{code}")):
            sheet.write_string(row, col, value, text)
        sheet.write_number(row, 5, members, number)
    sheet = book.add_worksheet("inspectors")
    for col, (title, width) in enumerate((("代码", 8), ("名称", 16), ("邮箱", 30),
                                          ("负责支部", 40))):
        sheet.write_string(0, col, title, head)
        sheet.set_column(col, col, width)
    for row, (code, name, branches) in enumerate(INSPECTORS, start=1):
        email = f"xuncha{code[1:]}@dangjian.example.cn"
        for col, value in enumerate((code, name, email, branches)):
            sheet.write_string(row, col, value, text)
    book.close()


if __name__ == "__main__":
    main()
