META
key;value
description;"Wijkbudget De Vaart; ronde 2"
country;Netherlands
unit;Assen
instance;2026
num_projects;4
num_votes;7
budget;5000.50
vote_type;approval
currency;EUR
PROJECTS
project_id;cost;votes;name;category;selected
b-12;1500;4;"Bankjes; en prullenbakken";green;1
b-3;2000,25;3;"""Groen"" plein";green,play;1
b-7;3500;2;None;None;0
b-9;900;0;Moestuin;green;0
VOTES
voter_id;vote;age;sex;weight
v1;b-12,b-3;34;f;3
v2;b-12;None;None;None
v3;b-3,b-7;23;m;1
v4;;41;f;1
v5;b-12,b-7;19;None;1
v6;b-12,b-3;62;f;1
v7;b-12;54;m;2
