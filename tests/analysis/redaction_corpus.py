"""Labelled corpus for measuring redaction recall and precision.

Written for this project (invented people, numbers from Ofcom's drama ranges, example postcodes).
Each entry is ``(text, [(kind, exact substring that must be redacted), ...])``. Texts with no
personal data are there to measure precision: numbers, dates, times, money, road names such as
A12 or M25, bus routes, years, "101" and "999" must be left alone.
"""

from __future__ import annotations

CORPUS: list[tuple[str, list[tuple[str, str]]]] = [
    # e-mail
    (
        "Please email me at jane.doe@example.com about the bins",
        [("EMAIL", "jane.doe@example.com")],
    ),
    (
        "contact: a.khan+council@mail.example.co.uk",
        [("EMAIL", "a.khan+council@mail.example.co.uk")],
    ),
    (
        "My email is ROBERT_SMITH99@EXAMPLE.ORG.",
        [("EMAIL", "ROBERT_SMITH99@EXAMPLE.ORG")],
    ),
    ("reply to tom at example dot com please", [("EMAIL", "tom at example dot com")]),
    (
        "write to fatima.begum@nhs.example.net or call",
        [("EMAIL", "fatima.begum@nhs.example.net")],
    ),
    (
        "email: info@towerhamlets-residents.org.uk thanks",
        [("EMAIL", "info@towerhamlets-residents.org.uk")],
    ),
    ("(sam@example.io)", [("EMAIL", "sam@example.io")]),
    # phones
    ("Call me on 07700 900123 any time", [("PHONE", "07700 900123")]),
    ("my number is 07700900456", [("PHONE", "07700900456")]),
    ("Ring 020 7946 0018 after 6pm", [("PHONE", "020 7946 0018")]),
    ("Phone (020) 7946 0999 and ask for the caretaker", [("PHONE", "(020) 7946 0999")]),
    ("+44 7700 900789 is my mobile", [("PHONE", "+44 7700 900789")]),
    ("tel +44 (0)20 7946 0321", [("PHONE", "+44 (0)20 7946 0321")]),
    ("text me: +447700900111", [("PHONE", "+447700900111")]),
    ("landline 0121-496-0000", [("PHONE", "0121-496-0000")]),
    (
        "call 0161 496 0123 or 0113 496 0456",
        [("PHONE", "0161 496 0123"), ("PHONE", "0113 496 0456")],
    ),
    ("my mum's phone is 07700.900.222", [("PHONE", "07700.900.222")]),
    ("0044 7700 900333 (whatsapp)", [("PHONE", "0044 7700 900333")]),
    ("freephone 0808 157 0192 did not answer", [("PHONE", "0808 157 0192")]),
    ("07700-900-444 is the best number", [("PHONE", "07700-900-444")]),
    # postcodes
    ("I live in E1 6AN and the street lights are broken", [("POSTCODE", "E1 6AN")]),
    ("postcode e14 2bg", [("POSTCODE", "e14 2bg")]),
    ("We are in SW1A 1AA, near the park", [("POSTCODE", "SW1A 1AA")]),
    ("Near E3 4RT there is fly tipping", [("POSTCODE", "E3 4RT")]),
    ("address postcode: M1 1AE", [("POSTCODE", "M1 1AE")]),
    ("B33 8TH residents association", [("POSTCODE", "B33 8TH")]),
    ("cr26xh is my postcode", [("POSTCODE", "cr26xh")]),
    ("moved from DN55 1PT last year", [("POSTCODE", "DN55 1PT")]),
    ("postcode W1A 0AX", [("POSTCODE", "W1A 0AX")]),
    ("E2 7DG", [("POSTCODE", "E2 7DG")]),
    # addresses
    ("I live at 12 Bow Road and the noise is terrible", [("ADDRESS", "12 Bow Road")]),
    ("flat 4, 27 Mile End Road", [("ADDRESS", "flat 4, 27 Mile End Road")]),
    (
        "Rubbish outside 3 Commercial Street every day",
        [("ADDRESS", "3 Commercial Street")],
    ),
    ("my address is 221b Baker St.", [("ADDRESS", "221b Baker St.")]),
    (
        "at 45 Cable Street, E1 8JG",
        [("ADDRESS", "45 Cable Street"), ("POSTCODE", "E1 8JG")],
    ),
    ("Flat 12 Jubilee House has damp", [("ADDRESS", "Flat 12 Jubilee House")]),
    ("the lift at 101 Old Ford Rd is broken", [("ADDRESS", "101 Old Ford Rd")]),
    ("number 7 Globe Road has a leak", [("ADDRESS", "7 Globe Road")]),
    ("i live at 9 brick lane", [("ADDRESS", "9 brick lane")]),
    (
        "Apartment 3, 18 Westferry Circus",
        [("ADDRESS", "Apartment 3, 18 Westferry Circus")],
    ),
    ("Parking on 56-58 Roman Road is a nightmare", [("ADDRESS", "56-58 Roman Road")]),
    ("2 St Paul's Way needs repairs", [("ADDRESS", "2 St Paul's Way")]),
    ("I live on Burdett Road near the school", [("ADDRESS", "on Burdett Road")]),
    ("Flat 6 Ocean Estate", [("ADDRESS", "Flat 6 Ocean Estate")]),
    # names after cues
    ("My name is Fatima Begum and I live here", [("NAME", "Fatima Begum")]),
    ("Hi, my name is John", [("NAME", "John")]),
    ("my name is sarah and i want more bins", [("NAME", "sarah")]),
    ("I'm called Abdul Hamid", [("NAME", "Abdul Hamid")]),
    ("I am called Maria", [("NAME", "Maria")]),
    ("This is Priya Patel speaking", [("NAME", "Priya Patel")]),
    ("hello this is Kwame calling about the estate", [("NAME", "Kwame")]),
    ("my name's Dave Jones", [("NAME", "Dave Jones")]),
    ("Mrs Okafor next door is lonely", [("NAME", "Okafor")]),
    ("Cllr Rahman promised a new crossing", [("NAME", "Rahman")]),
    ("Dr. Chen at the surgery is great", [("NAME", "Chen")]),
    ("Kind regards, Peter O'Neill", [("NAME", "Peter O'Neill")]),
    ("Yours sincerely Ana Silva", [("NAME", "Ana Silva")]),
    ("call me Jo", [("NAME", "Jo")]),
    ("MY NAME IS ALI HASSAN", [("NAME", "ALI HASSAN")]),
    ("Mr Smith on the corner plays music", [("NAME", "Smith")]),
    ("my name is Zoë Müller", [("NAME", "Zoë Müller")]),
    ("It's Tom here, about the parking", [("NAME", "Tom")]),
    # mixed
    (
        "My name is Lucy Brown, 14 Grove Road, E3 5AX, 07700 900555, lucy.b@example.com",
        [
            ("NAME", "Lucy Brown"),
            ("ADDRESS", "14 Grove Road"),
            ("POSTCODE", "E3 5AX"),
            ("PHONE", "07700 900555"),
            ("EMAIL", "lucy.b@example.com"),
        ],
    ),
    (
        "this is Imran speaking, please call back on 020 7946 0777",
        [("NAME", "Imran"), ("PHONE", "020 7946 0777")],
    ),
    (
        "Mr Ahmed at 3 Cannon Street Road E1 0BH",
        [
            ("NAME", "Ahmed"),
            ("ADDRESS", "3 Cannon Street Road"),
            ("POSTCODE", "E1 0BH"),
        ],
    ),
    # nothing personal: precision checks
    ("Nothing", []),
    ("No", []),
    ("N/A", []),
    ("The A12 is always jammed and the M25 too", []),
    ("Bus 25 comes every 10 minutes, the 205 never", []),
    ("I have lived here since 2009 and pay £1200 a month", []),
    ("Call 101 for non emergencies and 999 for emergencies", []),
    ("meeting at 7pm on 12/03/2024", []),
    ("We need 3 more bins and 2 benches", []),
    ("Our rent went up 10% in 2023", []),
    ("The road is dangerous for children", []),
    ("more police on the streets please", []),
    ("I am worried about knife crime", []),
    ("Open the library on Sundays from 10 to 4", []),
    ("This is not good enough", []),
    ("this is a disgrace here", []),
    ("My name is not important", []),
    ("2 kids and no space on the estate", []),
    ("Covid-19 hit us hard", []),
    ("There are 12 flats in our block", []),
    ("the 4 lane road is too wide", []),
    ("Call the council, they never answer", []),
    ("Reference number 123456789 was closed", []),
    ("Ambulance took 45 minutes", []),
    ("GCSE results in year 11 are improving", []),
    ("We want the 15 bus back", []),
    ("Street lighting on the high street", []),
    ("কাউন্সিল আরও পরিষ্কার রাস্তা চাই", []),
    ("Email the council about potholes", []),
    ("I called 111 and waited 3 hours", []),
    ("there are 3 parks near me", []),
    # second batch, written before re-checking the rules
    (
        "You can reach me at 07700 900 987 or 020-7946-0055",
        [("PHONE", "07700 900 987"), ("PHONE", "020-7946-0055")],
    ),
    (
        "my email address is m.ahmed1985@example.co.uk thank you",
        [("EMAIL", "m.ahmed1985@example.co.uk")],
    ),
    ("I am writing from E14 0AB about the DLR", [("POSTCODE", "E14 0AB")]),
    ("Hello my name is Shirin and I have lived here 20 years", [("NAME", "Shirin")]),
    (
        "Flat 22, 5 Stepney Way, London E1 3AA",
        [("ADDRESS", "Flat 22, 5 Stepney Way"), ("POSTCODE", "E1 3AA")],
    ),
    ("this is Mohammed Ali calling from the tenants group", [("NAME", "Mohammed Ali")]),
    ("Regards, Hannah", [("NAME", "Hannah")]),
    ("Ms Kowalski in flat 3 needs help", [("NAME", "Kowalski")]),
    ("Mobile: 07700 900 321", [("PHONE", "07700 900 321")]),
    ("The postcode is e1w 1aa", [("POSTCODE", "e1w 1aa")]),
    ("34 Roman Road has rats", [("ADDRESS", "34 Roman Road")]),
    ("I'm called Ruth Adeyemi and I'm a carer", [("NAME", "Ruth Adeyemi")]),
    ("ring 0207 946 0123 please", [("PHONE", "0207 946 0123")]),
    (
        "contact sarah.j@example.org.uk or 07700900765",
        [("EMAIL", "sarah.j@example.org.uk"), ("PHONE", "07700900765")],
    ),
    ("my name is Li Wei", [("NAME", "Li Wei")]),
    ("5 bedroom houses are needed", []),
    ("It is 20 minutes to the nearest GP", []),
    ("Rents rose by 15 per cent since 2021", []),
    ("Open 9am-5pm Monday to Friday", []),
    ("We have 1 park and 0 youth clubs", []),
]
