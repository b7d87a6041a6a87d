-- Sample schema "shop" of the sql_execution verifier. Run by the service at startup inside
-- "CREATE SCHEMA shop; SET LOCAL search_path TO shop" (so no schema names here), in one transaction,
-- and re-run only when this file changes (its SHA-256 is kept in the schema's comment).
-- Deliberately includes NULLs, ties and duplicate values, so that queries differing only in how they treat
-- them give different results.

CREATE TABLE customers (
    id          integer PRIMARY KEY,
    name        text    NOT NULL,
    email       text    NOT NULL UNIQUE,
    city        text,
    country     text    NOT NULL,
    signup_date date    NOT NULL
);

CREATE TABLE products (
    id       integer        PRIMARY KEY,
    name     text           NOT NULL,
    category text           NOT NULL,
    price    numeric(10, 2) NOT NULL CHECK (price >= 0),
    stock    integer        NOT NULL
);

CREATE TABLE orders (
    id          integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    product_id  integer NOT NULL REFERENCES products (id),
    quantity    integer NOT NULL CHECK (quantity > 0),
    order_date  date    NOT NULL,
    status      text    NOT NULL CHECK (status IN ('pending', 'shipped', 'delivered', 'cancelled'))
);

INSERT INTO customers (id, name, email, city, country, signup_date) VALUES
    (1,  'Alice Martin',   'alice@example.com',   'Paris',     'France',  '2023-01-15'),
    (2,  'Bob Smith',      'bob@example.com',     'London',    'UK',      '2023-02-03'),
    (3,  'Chloé Dubois',   'chloe@example.com',   'Lyon',      'France',  '2023-02-20'),
    (4,  'David Jones',    'david@example.com',   'London',    'UK',      '2023-03-11'),
    (5,  'Eva Müller',     'eva@example.com',     'Berlin',    'Germany', '2023-04-01'),
    (6,  'Felix Wagner',   'felix@example.com',   NULL,        'Germany', '2023-04-18'),
    (7,  'Grace Lee',      'grace@example.com',   'New York',  'USA',     '2023-05-05'),
    (8,  'Hiro Tanaka',    'hiro@example.com',    'Tokyo',     'Japan',   '2023-06-23'),
    (9,  'Isabel García',  'isabel@example.com',  'Madrid',    'Spain',   '2023-07-30'),
    (10, 'Jack Brown',     'jack@example.com',    NULL,        'USA',     '2023-08-14'),
    (11, 'Karin Olsen',    'karin@example.com',   'Oslo',      'Norway',  '2023-09-09'),
    (12, 'Liam Murphy',    'liam@example.com',    'Dublin',    'Ireland', '2023-10-27');

INSERT INTO products (id, name, category, price, stock) VALUES
    (1,  'Laptop',          'electronics', 999.99, 15),
    (2,  'Headphones',      'electronics',  59.90, 120),
    (3,  'Smartphone',      'electronics', 699.00, 40),
    (4,  'Coffee Maker',    'kitchen',      89.50, 30),
    (5,  'Blender',         'kitchen',      45.00, 0),
    (6,  'Chef Knife',      'kitchen',      45.00, 75),
    (7,  'Novel',           'books',        12.99, 200),
    (8,  'Cookbook',        'books',        24.50, 60),
    (9,  'Desk Lamp',       'home',         34.95, 0),
    (10, 'Office Chair',    'home',        189.00, 12);

INSERT INTO orders (id, customer_id, product_id, quantity, order_date, status) VALUES
    (1,  1,  1,  1, '2024-01-05', 'delivered'),
    (2,  1,  2,  2, '2024-01-05', 'delivered'),
    (3,  2,  7,  3, '2024-01-12', 'delivered'),
    (4,  3,  4,  1, '2024-01-20', 'shipped'),
    (5,  4,  3,  1, '2024-02-02', 'delivered'),
    (6,  5,  6,  2, '2024-02-14', 'cancelled'),
    (7,  5,  8,  1, '2024-02-14', 'delivered'),
    (8,  6,  10, 1, '2024-02-28', 'pending'),
    (9,  7,  1,  2, '2024-03-03', 'shipped'),
    (10, 7,  7,  5, '2024-03-03', 'delivered'),
    (11, 8,  2,  1, '2024-03-15', 'delivered'),
    (12, 9,  5,  1, '2024-03-22', 'cancelled'),
    (13, 2,  8,  2, '2024-04-01', 'shipped'),
    (14, 3,  7,  1, '2024-04-09', 'delivered'),
    (15, 1,  9,  1, '2024-04-18', 'pending'),
    (16, 11, 3,  1, '2024-05-02', 'delivered'),
    (17, 4,  2,  3, '2024-05-10', 'delivered'),
    (18, 7,  4,  1, '2024-05-21', 'shipped'),
    (19, 12, 6,  1, '2024-06-01', 'pending'),
    (20, 8,  7,  2, '2024-06-11', 'delivered'),
    (21, 1,  7,  1, '2024-06-11', 'delivered'),
    (22, 5,  1,  1, '2024-06-30', 'pending');
