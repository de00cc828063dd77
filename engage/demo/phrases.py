"""Phrase banks for demo free text: what residents of an inner London borough tend to write.

Invented text for demonstration only. Themes: housing, crime and antisocial behaviour,
cleanliness and fly-tipping, parks, youth services, cost of living, health and GP access,
transport, air quality, community cohesion; plus "nothing" and "not sure" answers.
"""

from __future__ import annotations

THEMES = (
    "housing",
    "crime",
    "cleanliness",
    "parks",
    "youth",
    "cost_of_living",
    "health",
    "transport",
    "air_quality",
    "cohesion",
)

PLACES = (
    "Roman Road",
    "Brick Lane",
    "Chrisp Street",
    "Watney Market",
    "Whitechapel Road",
    "Mile End Road",
    "Bethnal Green Road",
    "the Isle of Dogs",
    "Limehouse Basin",
    "Bow Roundabout",
    "Stepney Green",
    "Cable Street",
    "Commercial Road",
    "Burdett Road",
    "Poplar High Street",
    "the Ocean estate",
    "the Boundary estate",
    "Devons Road",
)

OPENERS = (
    "",
    "",
    "",
    "",
    "",
    "",
    "I think ",
    "Honestly ",
    "For me ",
    "Definitely ",
    "In my opinion ",
    "To be honest ",
    "Personally ",
    "The big one is ",
    "Basically ",
)

PERSONAL = (
    "As a mum of three, ",
    "As a pensioner, ",
    "I have lived here 30 years and ",
    "Living on the estate, ",
    "As a carer, ",
    "Speaking as a young person, ",
    "As a small business owner, ",
    "My kids say ",
    "Since we moved here ",
)

CLOSERS = (
    "",
    "",
    "",
    "",
    " Thank you.",
    " It has been like this for years.",
    " Please actually do something this time.",
    " Nobody listens when we report it.",
    " It affects everyone on my street.",
    " My neighbours say the same.",
    " It was better before.",
    " Thanks for asking.",
)

SHORT = {
    "housing": (
        "more council housing",
        "affordable homes",
        "fix the damp",
        "housing",
        "lower rents",
        "repairs done on time",
        "bigger flats for families",
    ),
    "crime": (
        "more police",
        "stop the drug dealing",
        "safer streets",
        "antisocial behaviour",
        "police on the estate",
        "more CCTV",
        "tackle crime",
    ),
    "cleanliness": (
        "cleaner streets",
        "stop fly-tipping",
        "more bins",
        "rubbish collection",
        "clean the streets",
        "deal with the rats",
        "litter",
    ),
    "parks": ("better parks", "more green space", "play areas", "trees", "park toilets"),
    "youth": (
        "youth clubs",
        "things for kids to do",
        "youth centres",
        "activities for teens",
        "more for young people",
    ),
    "cost_of_living": (
        "cost of living",
        "help with bills",
        "cheaper food",
        "lower council tax",
        "help for families",
    ),
    "health": (
        "GP appointments",
        "easier to see a doctor",
        "more GPs",
        "mental health support",
        "dentists",
    ),
    "transport": (
        "better buses",
        "step-free stations",
        "more buses",
        "safer cycling",
        "fix the roads",
    ),
    "air_quality": ("cleaner air", "less traffic", "air pollution", "fewer cars"),
    "cohesion": (
        "community events",
        "bring people together",
        "community centre",
        "more for older people",
        "respect",
    ),
}

SENTENCES = {
    "housing": (
        "We need more genuinely affordable housing for local families",
        (
            "My family of five lives in a two bedroom flat and we have been on the waiting list "
            "for "
            "eleven years"
        ),
        "The damp and mould in our flat is making my children ill and repairs never get done",
        "Rents are far too high and young people who grew up here cannot afford to stay",
        "Stop building luxury flats that local people cannot afford",
        (
            "The housing association takes months to fix anything, the lift in our block is always "
            "broken"
        ),
        "Overcrowding is the biggest problem, families are squeezed into tiny flats",
        "Private landlords get away with terrible conditions and nobody checks",
        "Too many new towers and not enough homes for people on the housing list",
        "Temporary accommodation is sending families miles away from their schools",
    ),
    "crime": (
        "There is drug dealing openly on the corner near {place} every evening",
        "I do not feel safe walking home after dark, especially near {place}",
        "We need more police officers on foot patrol, not just driving past",
        "Groups of young men hang around the stairwells on our estate and people are scared",
        "Phone snatching and bike theft are out of control around {place}",
        (
            "Antisocial behaviour on the estate has got much worse, loud music and fighting "
            "late at "
            "night"
        ),
        "The smell of cannabis is everywhere, in the stairwells and outside the school",
        "When we report crime nothing happens, the police never come back to us",
        "Moped gangs ride on the pavement and it is dangerous for children and older people",
        "Better street lighting and CCTV would make a real difference",
    ),
    "cleanliness": (
        "The streets are filthy, there is rubbish everywhere around {place}",
        (
            "Fly-tipping is a constant problem, mattresses and fridges dumped on the pavement for "
            "weeks"
        ),
        "The bins overflow every weekend and the foxes and rats spread it everywhere",
        "Rubbish collection needs to be more regular, especially for the flats",
        "Market traders leave a mess behind on {place} and it is never cleaned properly",
        "People need to be fined for dumping rubbish, there should be cameras at the hotspots",
        "We have a serious rat problem on our estate because of the rubbish",
        "Chewing gum, litter and dog mess everywhere, it makes the area look neglected",
        "Street cleaning used to be better, now the sweepers hardly come",
    ),
    "parks": (
        "Our local park needs proper play equipment, what is there is old and broken",
        "More trees and green spaces, there is so much concrete",
        "The park near us is not safe at night and the toilets are always locked",
        "Keep Mile End Park and Victoria Park well maintained, they are what keeps us sane",
        "We need more benches and shade in the parks for older people",
        "Protect the green spaces we have instead of building on them",
        "A community garden on the estate would bring people together",
    ),
    "youth": (
        "There is nothing for young people to do so they end up on the streets",
        "Bring back the youth clubs that were closed, they kept kids out of trouble",
        "More free activities for teenagers in the evenings and holidays",
        "Young people need mentoring, apprenticeships and somewhere safe to go",
        "Sports facilities for kids should be free or cheap, families cannot afford the fees",
        "My son has nowhere to go after school apart from the chicken shop",
        "Invest in youth workers, they make a real difference",
    ),
    "cost_of_living": (
        "Everything is so expensive now, we are struggling to pay the bills",
        "Help with energy bills and food costs for families who are working but still poor",
        "Council tax keeps going up but services are getting worse",
        "More people are using food banks, including people who work full time",
        "Free school meals for all children would really help local families",
        "Rent, food and bills have all gone up and wages have not",
        "Older people are choosing between heating and eating",
        "More advice on benefits and debt, many people do not know what help exists",
    ),
    "health": (
        "It is impossible to get a GP appointment, you ring at 8am and they are all gone",
        "Waiting times at the Royal London are far too long",
        "We need more mental health support, especially for young people",
        "It is hard to see a doctor who speaks Bengali or to get an interpreter",
        "No NHS dentist is taking new patients anywhere nearby",
        "More health checks and support for diabetes in the community",
        "The surgery only offers phone calls now and older people struggle with the app",
    ),
    "transport": (
        "The buses are always late and overcrowded, especially the 25 and the D3",
        "We need step-free access at more stations, I cannot use {place} with a buggy",
        "The roads are full of potholes and dangerous for cyclists",
        "Safer cycle lanes and better crossings near the schools",
        "The DLR keeps breaking down and there is no alternative",
        "Stop the rat running traffic through residential streets",
        "Parking is a nightmare and the enforcement is unfair",
    ),
    "air_quality": (
        "The air pollution on {place} is terrible, my children have asthma",
        "Too much traffic and lorries, the air quality near the schools is awful",
        "Plant more trees along the main roads to clean the air",
        "Idling engines outside the school should be fined",
        "More low traffic streets so children can breathe clean air",
    ),
    "cohesion": (
        "More community events that bring different communities together",
        "Older people are lonely, we need lunch clubs and community centres",
        "People should respect each other more and look out for their neighbours",
        "Support local voluntary groups and mosques and churches that do so much",
        "Listen to residents and actually involve us in decisions",
        "Celebrate the diversity of the borough, festivals like Boishakhi Mela bring us together",
        "There is tension between new residents in the towers and long-standing communities",
        "A proper community centre for our area where everyone can meet",
    ),
}

NOTHING = (
    "Nothing",
    "nothing really",
    "Not sure",
    "not sure",
    "Don't know",
    "dont know",
    "No comment",
    "n/a",
    "Nothing, it is fine as it is",
    "Can't think of anything",
    "No idea to be honest",
    "All good",
)

BENGALI = {
    "housing": (
        "ভাড়া অনেক বেশি, কাউন্সিলের বাসার জন্য বছরের পর বছর অপেক্ষা করছি।",
        "আমাদের ফ্ল্যাটে স্যাঁতসেঁতে ভাব আর ছত্রাক, বাচ্চাদের শ্বাসকষ্ট হয়।",
        "বড় পরিবারের জন্য বাসা খুব ছোট, আরও সাশ্রয়ী বাসা দরকার।",
    ),
    "crime": (
        "রাতে রাস্তায় মাদক বিক্রি হয়, একা হাঁটতে ভয় লাগে।",
        "আরও পুলিশ টহল দরকার, বিশেষ করে সন্ধ্যার পর।",
        "এস্টেটের সিঁড়িতে ছেলেরা জড়ো হয়ে ঝামেলা করে।",
    ),
    "cleanliness": (
        "রাস্তায় ময়লা আর যেখানে-সেখানে ফেলা আবর্জনা, নিয়মিত পরিষ্কার করা দরকার।",
        "ময়লার বিন প্রায়ই উপচে পড়ে, ইঁদুরের উপদ্রব বেড়েছে।",
    ),
    "parks": ("পার্কে বাচ্চাদের খেলার জায়গা আরও ভালো করা দরকার।", "পার্কে আরও আলো আর বসার জায়গা চাই।"),
    "youth": (
        "তরুণদের জন্য আরও যুব ক্লাব আর খেলাধুলার সুযোগ দরকার।",
        "ছেলেমেয়েদের সন্ধ্যায় যাওয়ার মতো নিরাপদ কোনো জায়গা নেই।",
    ),
    "cost_of_living": (
        "সবকিছুর দাম বেড়ে গেছে, বিদ্যুৎ আর গ্যাসের বিল দিতে কষ্ট হচ্ছে।",
        "পরিবারগুলোর জন্য আরও আর্থিক সহায়তা আর পরামর্শ দরকার।",
    ),
    "health": (
        "জিপির অ্যাপয়েন্টমেন্ট পেতে কয়েক সপ্তাহ লেগে যায়।",
        "ডাক্তারের সঙ্গে কথা বলার জন্য দোভাষী পাওয়া কঠিন।",
    ),
    "transport": ("বাস সময়মতো আসে না, আর স্টেশনে লিফট নেই।", "সাইকেল চালানোর জন্য নিরাপদ রাস্তা দরকার।"),
    "air_quality": ("রাস্তায় গাড়ির ধোঁয়া অনেক, স্কুলের পাশে বাতাস খুব খারাপ।",),
    "cohesion": (
        "সব সম্প্রদায়ের মানুষকে একসঙ্গে আনতে আরও কমিউনিটি অনুষ্ঠান দরকার।",
        "বয়স্কদের একাকীত্ব কমাতে একটি কমিউনিটি সেন্টার চাই।",
    ),
}

BENGALI_NOTHING = ("জানি না", "কিছু না, সব ঠিক আছে।", "বলতে পারছি না")

LIKE_MOST = (
    "The markets",
    "My neighbours",
    "The diversity",
    "Victoria Park",
    "Being close to the City for work",
    "Food from everywhere",
    "The community spirit",
    "Brick Lane",
    "Good transport links",
    "The canal",
    "The mosques and community",
    "Friendly people",
    "It is home",
    "My family is here",
    "Mile End Park",
    "The history of the East End",
    "Schools are good",
    "Idea Stores",
    "everything is close by",
    "the river",
    "Columbia Road flower market",
    "Not much anymore",
    "The people",
    "Lots going on",
)

BENGALI_LIKE_MOST = (
    "প্রতিবেশীরা খুব ভালো",
    "মসজিদ আর কমিউনিটি কাছে",
    "বাংলা দোকান আর খাবার",
    "পরিবার এখানে থাকে",
)
