"""Made-up names for synthetic people and staff. Never real people."""

FORENAMES = (
    "Aaron", "Abdul", "Adam", "Aiden", "Alan", "Alfie", "Amir", "Andre", "Ashley", "Ben", "Billy", "Bradley",
    "Callum", "Carl", "Chloe", "Connor", "Craig", "Dale", "Daniel", "Dean", "Declan", "Demi", "Dylan", "Ellis",
    "Emma", "Ethan", "Gemma", "Hassan", "Imran", "Jack", "Jade", "Jamal", "Jason", "Jordan", "Kai", "Kayleigh",
    "Kieran", "Lee", "Leon", "Lewis", "Liam", "Louise", "Luke", "Marcus", "Mason", "Nathan", "Nicole", "Omar",
    "Owen", "Paige", "Reece", "Rhys", "Ricky", "Ryan", "Sam", "Scott", "Shane", "Stacey", "Tariq", "Tyler",
)  # fmt: skip
SURNAMES = (
    "Abbott", "Ahmed", "Akhtar", "Allen", "Barker", "Barnes", "Begum", "Bennett", "Bibi", "Brooks", "Carter",
    "Clarke", "Cole", "Cooper", "Davies", "Dixon", "Doyle", "Evans", "Fisher", "Foster", "Gill", "Gray", "Hall",
    "Harper", "Hill", "Holmes", "Hussain", "Jackson", "Jones", "Kaur", "Kelly", "Khan", "Lawrence", "Lewis",
    "Marsh", "Mason", "Mills", "Moore", "Murphy", "Nowak", "Osei", "Owen", "Palmer", "Patel", "Price", "Quinn",
    "Reid", "Riley", "Shaw", "Singh", "Stone", "Taylor", "Turner", "Walsh", "Ward", "Webb", "Wells", "Wood",
)  # fmt: skip
