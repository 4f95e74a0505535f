#!/usr/bin/env python3
"""Writes a synthetic HubSpot-style contacts CSV for the contacts benchmark.

usage: gen_contacts.py N OUT.csv [--seed S]

Every row is a distinct person: unique email (first.last.N@companyK.example), unique US phone
in mixed formats, an X handle on every other row, names with diacritics and "Last, First"
forms (quoted), ~1% opted out, and ~0.2% deliberately bad rows (bad email) that the importer
must reject with their line numbers.
"""
import random
import sys

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
         "Zoë", "José", "Jürgen", "Siobhán", "Priya", "Wei", "Aiko", "Olusegun", "Fatima", "Lars", "Ingrid",
         "Mateo", "Chiara", "Noah", "Emma", "Liam", "Olivia", "Amara", "Kenji", "Søren"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee",
        "Müller", "O'Brien", "Nakamura", "Okafor", "Patel", "Kowalski", "Dubois", "Rossi", "Nguyen", "Andersson",
        "Schmidt", "Fischer", "Novak", "Silva", "Santos", "Kim", "Park", "Cohen", "Ivanova", "Haddad"]
STAGES = ["subscriber", "lead", "customer", "evangelist", "other"]
OWNERS = ["Grace Hopper", "Alan Turing", "Ada Lovelace", "Edsger Dijkstra"]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    count = int(sys.argv[1])
    out = sys.argv[2]
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 42
    rng = random.Random(seed)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeffRecord ID,First Name,Last Name,Email,Phone Number,Company Name,Lifecycle Stage,Contact owner,"
                "Twitter Username,Unsubscribed from all email\r\n")
        for n in range(count):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            company = rng.randrange(5000)
            local = f"{first}.{last}.{n}".lower().replace("'", "")
            local = local.encode("ascii", "ignore").decode() or f"user{n}"
            email = f"{local}@company{company}.example"
            if n % 500 == 499:
                email = f"{local}@"  # a bad row
            exchange, line = 200 + n // 10000, n % 10000
            style = n % 3
            phone = (f"+1 415 {exchange} {line:04d}" if style == 0 else
                     f"(415) {exchange}-{line:04d}" if style == 1 else f"415.{exchange}.{line:04d}")
            handle = f"@user_{n}" if n % 2 == 0 else ""
            opted = "true" if n % 100 == 7 else "false"
            name_first = first
            name_last = last
            f.write(f"{n + 1},\"{name_first}\",\"{name_last}\",{email},{phone},\"Company {company}, Inc.\","
                    f"{rng.choice(STAGES)},{rng.choice(OWNERS)},{handle},{opted}\r\n")


if __name__ == "__main__":
    main()
